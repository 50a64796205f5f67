//! Tokenising for the search index: Unicode word boundaries (UAX #29), case folding, numbers,
//! stop words and English (Snowball/Porter2) stemming; Spanish stemming (Snowball "spanish"),
//! Spanish stop words and diacritic folding ([`StemEs`], [`fold`]) for the Spanish index.
//!
//! The browser engine (`themes/lmp/static/search/engine.js`) repeats these rules for query words:
//! `Intl.Segmenter` word boundaries, `toLowerCase`, the same apostrophe and number normalisation,
//! the stop word list from the manifest and a Porter2 stemmer checked against this one in tests.

use std::borrow::Cow;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

/// Words longer than this (in bytes) are not indexed (base64 blobs, URLs glued together).
pub(crate) const MAX_WORD_BYTES: usize = 40;

/// English stop words: not indexed, dropped from queries. Shipped in the manifest so the client
/// uses exactly this list.
pub(crate) const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "after",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

pub(crate) fn is_stop_word(w: &str) -> bool {
    STOP_WORDS.binary_search(&w).is_ok()
}

/// Spanish stop words, without accents (a word is compared once folded, see [`fold`]), sorted.
pub(crate) const STOP_WORDS_ES: &[&str] = &[
    "a", "al", "algo", "como", "con", "contra", "cual", "cuando", "de", "del", "desde", "donde",
    "durante", "e", "el", "ella", "ellas", "ellos", "en", "entre", "era", "es", "esa", "esas",
    "ese", "eso", "esos", "esta", "estan", "estas", "este", "esto", "estos", "fue", "ha", "han",
    "hasta", "hay", "la", "las", "le", "les", "lo", "los", "mas", "me", "mi", "mis", "muy", "ni",
    "no", "nos", "o", "para", "pero", "por", "porque", "que", "quien", "se", "sea", "ser", "si",
    "sin", "sobre", "son", "su", "sus", "tambien", "te", "tu", "tus", "u", "un", "una", "unas",
    "unos", "y", "ya", "yo",
];

/// Accents and diaeresis removed from Latin vowels, and `ç` → `c`, so that `región` and
/// `region`, `sindicatós` and `sindicatos` meet; `ñ` is a letter of its own and stays. The
/// browser engine's `fold` is the same table.
pub(crate) fn fold(w: &str) -> Cow<'_, str> {
    fn f(c: char) -> Option<char> {
        Some(match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            _ => return None,
        })
    }
    if w.is_ascii() || !w.chars().any(|c| f(c).is_some()) {
        return Cow::Borrowed(w);
    }
    Cow::Owned(w.chars().map(|c| f(c).unwrap_or(c)).collect())
}

/// The Spanish stemmer (Snowball "spanish") on folded terms: `term` is the index term of a word
/// (`fold(stem(word))`, so `negociaciones` and `negociación` both give `negoci`); `alt_terms` the
/// terms a query tries when that one is not in the index (`sindicatós` → `sindicat`,
/// `negociacion` → `negoci`).
pub(crate) struct StemEs {
    stemmer: Stemmer,
}

impl StemEs {
    pub(crate) fn new() -> Self {
        StemEs {
            stemmer: Stemmer::create(Algorithm::Spanish),
        }
    }

    pub(crate) fn term(&self, w: &str) -> Option<String> {
        if STOP_WORDS_ES.binary_search(&fold(w).as_ref()).is_ok() {
            return None;
        }
        if w.bytes().any(|b| b.is_ascii_digit()) {
            return Some(w.to_string());
        }
        Some(fold(&self.stemmer.stem(w)).into_owned())
    }

    /// Other terms a query word may mean, tried in order when its term is not in the index:
    /// the stem of the word with its accents removed (`sindicatós` → `sindicat`), then the
    /// terms of the word with an acute accent put on one of its vowels, left to right
    /// (`negociacion` → `negociación` → `negoci`), then with an `ñ` for one of its `n`s
    /// (`ano` → `año`), so that a reader who leaves the accents out finds what the accented word
    /// finds.
    pub(crate) fn alt_terms(&self, w: &str) -> Vec<String> {
        let Some(t) = self.term(w) else {
            return Vec::new();
        };
        let f: Vec<char> = fold(w).chars().collect();
        let mut out: Vec<String> = Vec::new();
        let mut push = |x: String| {
            if x != t && !out.contains(&x) {
                out.push(x);
            }
        };
        let plain: String = f.iter().collect();
        if plain.bytes().any(|b| b.is_ascii_digit()) {
            return Vec::new();
        }
        push(self.stemmer.stem(&plain).into_owned());
        for (i, c) in f.iter().enumerate() {
            let acute = match c {
                'a' => 'á',
                'e' => 'é',
                'i' => 'í',
                'o' => 'ó',
                'u' => 'ú',
                _ => continue,
            };
            let mut v = f.clone();
            v[i] = acute;
            let v: String = v.into_iter().collect();
            push(fold(&self.stemmer.stem(&v)).into_owned());
        }
        // `ñ` typed as `n` on keyboards without it (`ano` → `año`, `companeros` → `compañer`;
        // QA Q50).
        for (_, term) in self.enye_variants(w) {
            push(term);
        }
        out
    }

    /// The word with an `ñ` for one of its `n`s, left to right, each with its term (`ano` →
    /// (`año`, `año`); `companeros` → (`compañeros`, `compañer`)): what a reader on a keyboard
    /// without `ñ` means. A query looks them up besides the word's own term, which may be
    /// another word's (`ano` is also the stem of "anote"; QA Q50).
    pub(crate) fn enye_variants(&self, w: &str) -> Vec<(String, String)> {
        let f: Vec<char> = fold(w).chars().collect();
        if f.iter().any(char::is_ascii_digit) {
            return Vec::new();
        }
        let mut out: Vec<(String, String)> = Vec::new();
        for (i, c) in f.iter().enumerate() {
            if *c != 'n' {
                continue;
            }
            let mut v = f.clone();
            v[i] = 'ñ';
            let v: String = v.into_iter().collect();
            if let Some(term) = self.term(&v)
                && !out.iter().any(|(_, t)| *t == term)
            {
                out.push((v, term));
            }
        }
        out
    }

    /// The raw Snowball stem (for the fixture the browser port is checked against).
    #[cfg(test)]
    pub(crate) fn stem<'a>(&self, w: &'a str) -> Cow<'a, str> {
        self.stemmer.stem(w)
    }
}

/// Calls `f` with every word of `text`, lowercased and normalised (curly apostrophes become `'`,
/// thousands separators are dropped from numbers: `147,000` → `147000`). `buf` is scratch space
/// so that ASCII text needs no allocation per word.
pub(crate) fn for_each_word(text: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    // ASCII text (most of an English site's): one pass of the ASCII rules over the whole text.
    // Latin-script text (Spanish: an accented letter every few dozen bytes) in one pass of the
    // Latin-script rules, up to the first piece (between ASCII whitespace) with a character
    // beyond them, which goes to `unicode_words` by itself. ASCII whitespace breaks words in
    // both (it is `Cls::Other`), so this gives the words of each whitespace-separated piece
    // without splitting the text into pieces first. Piece by piece (two scans to the
    // whitespace around each accented word, then its ASCII stretch and the word each by
    // itself), a Spanish text's words cost 1.3 times an English text's per byte, 1.17 times
    // in one pass (docs/benchmarks.md, session 19).
    let mut rest = text;
    loop {
        let b = rest.as_bytes();
        let mut p = 0;
        let mut latin = false;
        let mut other = None;
        while let Some(q) = first_non_ascii(&b[p..]) {
            // U+00C0–U+00FF (`á é ñ ü`, most of Spanish's characters beyond ASCII): every one
            // has a class of the Latin-script path (`latin_at`), known from its first byte.
            if b[p + q] == 0xC3 {
                latin = true;
                p += q + 2;
                continue;
            }
            match latin_at(b, p + q) {
                Some((_, len, _)) => {
                    latin = true;
                    p += q + len;
                }
                None => {
                    other = Some(p + q);
                    break;
                }
            }
        }
        let Some(p) = other else {
            if latin {
                latin_words(rest, buf, &mut f);
            } else {
                ascii_words(rest, buf, &mut f);
            }
            return;
        };
        let start = b[..p]
            .iter()
            .rposition(u8::is_ascii_whitespace)
            .map_or(0, |i| i + 1);
        let end = b[p..]
            .iter()
            .position(u8::is_ascii_whitespace)
            .map_or(rest.len(), |i| p + i);
        if latin {
            latin_words(&rest[..start], buf, &mut f);
        } else {
            ascii_words(&rest[..start], buf, &mut f);
        }
        other_piece(&rest[start..end], buf, &mut f);
        rest = &rest[end..];
    }
}

/// Where the first byte beyond ASCII of `b` is, 8 bytes a step: the scan goes over every text
/// the index is made of, and byte by byte it was 5 instructions a byte (0.39 of 26.8 billion
/// instructions of a 10,000-document build, 0.47 of 32.9 with 2,003 Spanish pages; session 15).
fn first_non_ascii(b: &[u8]) -> Option<usize> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = b.chunks_exact(8);
    let mut at = 0;
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        let high = u64::from_le_bytes(w) & HIGH;
        if high != 0 {
            return Some(at + high.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| b >= 0x80)
        .map(|p| at + p)
}

/// The words of a piece of text between ASCII whitespace that has a character beyond ASCII.
/// Invisible characters pasted inside a word (a soft hyphen, a zero-width space: see
/// [`crate::util::without_invisibles`]) are taken out first, so that `team\u{ad}work` is the word
/// `teamwork`; every one of them sends its piece here (none has a class of the Latin-script path),
/// so text without them pays nothing for it.
fn other_piece(piece: &str, buf: &mut String, f: &mut impl FnMut(&str)) {
    let piece = crate::util::without_invisibles(piece);
    let piece = piece.as_ref();
    if is_latin(piece.as_bytes()) {
        latin_words(piece, buf, f);
    } else {
        for w in piece.unicode_words() {
            normalise_into(w, buf);
            if !buf.is_empty() && buf.len() <= MAX_WORD_BYTES {
                f(buf);
            }
        }
    }
}

/// Lowercase, `’` → `'`, and for words with a digit drop `,`. Runs of ASCII are copied at once
/// and lowercased in place at the end (no lowercase form of a character has an ASCII capital),
/// other characters one by one: a Spanish word has one or two of them (`negociación`); char by
/// char, the words of the Spanish pages cost 0.2 G instructions at 10,000 documents
/// (docs/benchmarks.md, session 12).
fn normalise_into(w: &str, buf: &mut String) {
    buf.clear();
    let has_digit = w.bytes().any(|b| b.is_ascii_digit());
    let mut rest = w;
    while let Some(i) = rest
        .bytes()
        .position(|b| b >= 0x80 || (has_digit && b == b','))
    {
        buf.push_str(&rest[..i]);
        let Some(c) = rest[i..].chars().next() else {
            break;
        };
        match c {
            '\u{2019}' | '\u{2018}' => buf.push('\''),
            ',' => {}
            c if (c as u32) < 0x100 => buf.push(latin1_lowercase(c as u8)),
            c => buf.extend(c.to_lowercase()),
        }
        rest = &rest[i + c.len_utf8()..];
    }
    buf.push_str(rest);
    buf.make_ascii_lowercase();
    // A trailing apostrophe is not part of a word.
    while buf.ends_with('\'') {
        buf.pop();
    }
}

/// Whether [`normalise_into`] would leave a word of the Latin-script path as it is: no capital
/// (ASCII or Latin-1), no character beyond Latin-1 (`’`), no `,` in a word with a digit, no
/// trailing `'`. Most Spanish words are: they go to the index without being copied (the ASCII
/// path has its own test, in [`ascii_words`]).
fn already_normal(w: &str) -> bool {
    let b = w.as_bytes();
    let (mut digit, mut comma) = (false, false);
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'A'..=b'Z' => return false,
            b'0'..=b'9' => digit = true,
            b',' => comma = true,
            // U+0080–U+00BF: each its own lowercase.
            0xC2 => i += 1,
            // U+00C0–U+00FF: `À`–`Þ` but `×` are capitals.
            0xC3 => {
                if b.get(i + 1)
                    .is_some_and(|&c| (0x80..=0x9E).contains(&c) && c != 0x97)
                {
                    return false;
                }
                i += 1;
            }
            0x80.. => return false,
            _ => {}
        }
        i += 1;
    }
    !(w.ends_with('\'') || digit && comma)
}

/// The lowercase of a Latin-1 character (U+0000–U+00FF), as `char::to_lowercase` gives it: `A`–`Z`
/// and `À`–`Þ` but `×` are the capitals of the characters 0x20 after them, every other one is
/// its own lowercase. Spanish words are made of these (`Región`, `AÑO`), and `to_lowercase`
/// looks each up in Unicode's whole table (docs/benchmarks.md, session 12).
fn latin1_lowercase(b: u8) -> char {
    char::from(match b {
        b'A'..=b'Z' => b + 0x20,
        0xC0..=0xDE if b != 0xD7 => b + 0x20,
        _ => b,
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cls {
    Letter,
    Digit,
    Under,
    /// `'` `.` (MidNumLet) and `:` (MidLetter)
    MidLetter,
    /// `,` `;` (MidNum); `.` and `'` also join digits
    MidNum,
    Other,
}

fn cls(b: u8) -> Cls {
    CLS[b as usize]
}

/// [`Cls`] of every byte (non-ASCII bytes are `Other`; [`ascii_words`] reads ASCII text only).
static CLS: [Cls; 256] = {
    let mut t = [Cls::Other; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = match b as u8 {
            b'a'..=b'z' | b'A'..=b'Z' => Cls::Letter,
            b'0'..=b'9' => Cls::Digit,
            b'_' => Cls::Under,
            b'\'' | b'.' | b':' => Cls::MidLetter,
            b',' | b';' => Cls::MidNum,
            _ => Cls::Other,
        };
        b += 1;
    }
    t
};

/// Whether a byte is part of a word by itself (a letter, digit or `_`).
fn is_word_byte(b: u8) -> bool {
    matches!(CLS[b as usize], Cls::Letter | Cls::Digit | Cls::Under)
}

/// UAX #29 word boundaries restricted to ASCII (rules WB5–WB13b), keeping only words with a letter
/// or digit, as `unicode_words` does. `s` is ASCII. A word is given as it is when it needs no
/// normalising (most words of running text), else lowercased into `buf`.
fn ascii_words(s: &str, buf: &mut String, f: &mut impl FnMut(&str)) {
    let b = s.as_bytes();
    let n = b.len();
    let mut i = 0;
    while i < n {
        if !is_word_byte(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        // The AND of the word's letters, digits and `_`: bit 0x20 is clear in it when one of
        // them is a capital (or `_`), which the word is lowercased for.
        let mut all = 0xffu8;
        let mut comma = false;
        loop {
            while i < n && is_word_byte(b[i]) {
                all &= b[i];
                i += 1;
            }
            // `'` `.` `:` join two letters; `'` `.` `,` `;` join two digits.
            if i + 1 < n {
                let (prev, next) = (cls(b[i - 1]), cls(b[i + 1]));
                let joins = (prev == Cls::Letter
                    && next == Cls::Letter
                    && matches!(b[i], b'\'' | b'.' | b':'))
                    || (prev == Cls::Digit
                        && next == Cls::Digit
                        && matches!(b[i], b'\'' | b'.' | b',' | b';'));
                if joins {
                    comma |= b[i] == b',';
                    all &= b[i + 1];
                    i += 2;
                    continue;
                }
            }
            break;
        }
        let word = &s[start..i];
        // Words made only of `_` are not words.
        if b[start] == b'_' && word.bytes().all(|c| c == b'_') {
            continue;
        }
        // A word ends with a letter, digit or `_`, never with an apostrophe; a `,` joins digits
        // only (a thousands separator: dropped).
        if all & 0x20 != 0 && !comma {
            if word.len() <= MAX_WORD_BYTES {
                f(word);
            }
            continue;
        }
        buf.clear();
        if word.contains(',') {
            buf.extend(word.chars().filter(|&c| c != ','));
        } else {
            buf.push_str(word);
        }
        buf.make_ascii_lowercase();
        if !buf.is_empty() && buf.len() <= MAX_WORD_BYTES {
            f(buf);
        }
    }
}

/// The word-break class of a character of Latin-script text (ASCII, the letters of Latin-1 and
/// Latin Extended-A and -B: `é ñ ü ß ő ș`, curly apostrophes, and the punctuation of Spanish and
/// typeset English: `¿ ¡ « » — – “ ” …`, no-break space), as UAX #29 gives it; `None` for any
/// other character, whose text goes to `unicode_words`. Most Spanish sentences have words with
/// an accent or an `ñ`: through `unicode_words` their pieces cost several times the ASCII path
/// (docs/benchmarks.md, session 11: 0.47 G instructions of a 10,000-document build's Spanish
/// pages). The tests' reference for [`latin_at`], which reads the same classes from the bytes.
#[cfg(test)]
fn latin_cls(c: char) -> Option<Cls> {
    Some(match c {
        c if c.is_ascii() => cls(c as u8),
        // `×` and `÷` are the only non-letters of U+00C0–U+024F; `ª` `µ` `º` are letters.
        '\u{D7}' | '\u{F7}' => Cls::Other,
        '\u{C0}'..='\u{24F}' | '\u{AA}' | '\u{B5}' | '\u{BA}' => Cls::Letter,
        // MidNumLet, as `.`: joins letters and digits (`workers’`, `1’000`).
        '\u{2018}' | '\u{2019}' => Cls::MidLetter,
        '\u{A0}' | '\u{A1}' | '\u{AB}' | '\u{BB}' | '\u{BF}' | '\u{2013}' | '\u{2014}'
        | '\u{201C}' | '\u{201D}' | '\u{2026}' => Cls::Other,
        _ => return None,
    })
}

/// The word-break class of the character at `b[i]` in Latin-script text (ASCII, the letters of
/// Latin-1 and Latin Extended-A and -B, curly apostrophes, and the punctuation of Spanish and
/// typeset English, as UAX #29 gives it), read from its bytes without decoding it: the class,
/// the character's length in bytes, and whether a word with it is not given as it is (see
/// [`already_normal`]: a capital, a letter beyond Latin-1, a curly apostrophe). `None` for a
/// character without a class of the Latin-script path. A Spanish text has a word with an accent
/// or an `ñ` every few words; decoded, classed and checked for capitals char by char, those
/// words were most of what the Spanish pages added to tokenising (session 15).
#[inline]
fn latin_at(b: &[u8], i: usize) -> Option<(Cls, usize, bool)> {
    let x = b[i];
    if x < 0x80 {
        return Some((CLS[x as usize], 1, x.is_ascii_uppercase()));
    }
    let y = *b.get(i + 1)?;
    Some(match x {
        // U+0080–U+00BF: `ª` `µ` `º` are letters (each its own lowercase).
        0xC2 => match y {
            0xAA | 0xB5 | 0xBA => (Cls::Letter, 2, false),
            0xA0 | 0xA1 | 0xAB | 0xBB | 0xBF => (Cls::Other, 2, false),
            _ => return None,
        },
        // U+00C0–U+00FF: `×` and `÷` are not letters; `À`–`Þ` are capitals.
        0xC3 => match y {
            0x97 | 0xB7 => (Cls::Other, 2, false),
            0x80..=0x9E => (Cls::Letter, 2, true),
            _ => (Cls::Letter, 2, false),
        },
        // U+0100–U+024F (Latin Extended-A and -B).
        0xC4..=0xC8 => (Cls::Letter, 2, true),
        0xC9 if y <= 0x8F => (Cls::Letter, 2, true),
        // U+2013–U+2026.
        0xE2 if y == 0x80 => match *b.get(i + 2)? {
            0x98 | 0x99 => (Cls::MidLetter, 3, true),
            0x93 | 0x94 | 0x9C | 0x9D | 0xA6 => (Cls::Other, 3, false),
            _ => return None,
        },
        _ => return None,
    })
}

/// Whether every character of `b` (UTF-8) has a class of the Latin-script path.
fn is_latin(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        // Every ASCII character has a class: only those from 0x80 are looked at.
        if b[i] < 0x80 {
            i += 1;
            continue;
        }
        match latin_at(b, i) {
            Some((_, len, _)) => i += len,
            None => return false,
        }
    }
    true
}

/// A word of [`latin_words`] has an ASCII capital.
const UPPER: u8 = 1;
/// A word of [`latin_words`] has a character beyond ASCII it is normalised for (a Latin-1
/// capital, a letter beyond Latin-1, a curly apostrophe: see [`latin_at`]).
const HARD: u8 = 2;

/// [`ascii_words`] for a piece of Latin-script text (every character has a [`latin_at`]): the
/// same UAX #29 rules, and the same normalisation as [`normalise_into`]. Read byte by byte with
/// [`latin_at`], as [`ascii_words`] reads ASCII.
fn latin_words(s: &str, buf: &mut String, f: &mut impl FnMut(&str)) {
    let b = s.as_bytes();
    // ASCII bytes (most of a Spanish text's too) are classed here, without a call. The third
    // value: `UPPER` for an ASCII capital, `HARD` for a character beyond ASCII that a word is
    // normalised for (see `latin_at`).
    let at = |i: usize| {
        if b[i] < 0x80 {
            return (CLS[b[i] as usize], 1, u8::from(b[i].is_ascii_uppercase()));
        }
        latin_at(b, i).map_or_else(
            || {
                // Not in a piece `is_latin` let through; a whole character all the same.
                let len = match b[i] {
                    0xF0.. => 4,
                    0xE0.. => 3,
                    0xC0.. => 2,
                    _ => 1,
                };
                (Cls::Other, len, HARD)
            },
            |(k, len, up)| (k, len, if up { HARD } else { 0 }),
        )
    };
    let n = b.len();
    let mut i = 0;
    while i < n {
        // ASCII bytes between words without looking up their character.
        if b[i] < 0x80 && !is_word_byte(b[i]) {
            i += 1;
            continue;
        }
        let (k, len, up) = at(i);
        if !matches!(k, Cls::Letter | Cls::Digit | Cls::Under) {
            i += len;
            continue;
        }
        let start = i;
        let mut prev = k;
        // Whether the word has an ASCII capital (`UPPER`) or a character beyond ASCII it is
        // normalised for (`HARD`: see `already_normal`), has a `,` (between digits: dropped; a
        // `,` joins digits only, so a word with one has a digit), a letter or digit (a word of
        // `_` alone is none).
        let mut upper = up;
        let mut comma = false;
        let mut alnum = k != Cls::Under;
        i += len;
        loop {
            // A run of ASCII letters, digits and `_` (most of a word's bytes, Spanish too), as
            // `ascii_words` reads it: the AND of its bytes has bit 0x20 clear only when one of
            // them is a capital or `_`, the run is looked at again then.
            let run = i;
            let mut all = 0xffu8;
            while i < n && is_word_byte(b[i]) {
                all &= b[i];
                i += 1;
            }
            if i > run {
                prev = cls(b[i - 1]);
                if all & 0x20 != 0 {
                    alnum = true;
                } else {
                    upper |= u8::from(b[run..i].iter().any(u8::is_ascii_uppercase));
                    alnum |= b[run..i].iter().any(|&c| c != b'_');
                }
            }
            if i >= n {
                break;
            }
            let (k, len, up) = at(i);
            match k {
                Cls::Letter | Cls::Digit | Cls::Under => {
                    prev = k;
                    upper |= up;
                    alnum |= k != Cls::Under;
                    i += len;
                }
                // `'` `.` `:` `‘` `’` join two letters; `'` `.` `,` `;` `‘` `’` two digits.
                Cls::MidLetter | Cls::MidNum if i + len < n => {
                    let (next, next_len, next_up) = at(i + len);
                    let joins = (prev == Cls::Letter && next == Cls::Letter && k == Cls::MidLetter)
                        || (prev == Cls::Digit
                            && next == Cls::Digit
                            && (k == Cls::MidNum || b[i] != b':'));
                    if joins {
                        prev = next;
                        upper |= up | next_up;
                        alnum = true;
                        comma |= b[i] == b',';
                        i += len + next_len;
                    } else {
                        break;
                    }
                }
                _ => break,
            }
        }
        if !alnum {
            continue;
        }
        let word = &s[start..i];
        let plain = !(word.ends_with('\'') || comma);
        let normal = plain && upper == 0;
        debug_assert_eq!(normal, already_normal(word), "{word:?}");
        if normal {
            if word.len() <= MAX_WORD_BYTES {
                f(word);
            }
            continue;
        }
        if plain && upper == UPPER {
            // ASCII capitals only (a sentence's first word, a name: `Después`, `Alianza`): its
            // other characters are their own lowercase, as `normalise_into` would leave them.
            // Through `normalise_into`, these words of the Spanish pages were ~190
            // instructions each (docs/benchmarks.md, session 20).
            buf.clear();
            buf.push_str(word);
            buf.make_ascii_lowercase();
            debug_assert_eq!(*buf, {
                let mut n = String::new();
                normalise_into(word, &mut n);
                n
            });
            if word.len() <= MAX_WORD_BYTES {
                f(buf);
            }
            continue;
        }
        normalise_into(word, buf);
        if !buf.is_empty() && buf.len() <= MAX_WORD_BYTES {
            f(buf);
        }
    }
}

/// The stemmer of an index: Snowball "english" (Porter2) for English and any language without a
/// stemmer of its own, Snowball "spanish" with folding for Spanish. The manifest names it
/// (`stemmer`), so the browser engine applies the same one.
pub(crate) struct Stem {
    stemmer: Stemmer,
    es: Option<StemEs>,
}

impl Stem {
    /// The English stemmer.
    pub(crate) fn new() -> Self {
        Stem {
            stemmer: Stemmer::create(Algorithm::English),
            es: None,
        }
    }

    /// The stemmer for a language code (`es` → Spanish; every other code → English).
    pub(crate) fn for_lang(code: &str) -> Self {
        let mut s = Stem::new();
        if code == "es" || code.starts_with("es-") {
            s.es = Some(StemEs::new());
        }
        s
    }

    /// A word as the vocabulary shards keep it for typo matching (its surface form): folded in
    /// Spanish (as the query word is compared), as it is in English.
    pub(crate) fn form<'a>(&self, w: &'a str) -> Cow<'a, str> {
        if self.es.is_some() {
            fold(w)
        } else {
            Cow::Borrowed(w)
        }
    }

    /// `english` or `spanish` (the manifest's `stemmer`).
    pub(crate) fn name(&self) -> &'static str {
        if self.es.is_some() {
            "spanish"
        } else {
            "english"
        }
    }

    /// The stop words of the language (Spanish ones without accents: compared once folded).
    pub(crate) fn stop_words(&self) -> &'static [&'static str] {
        if self.es.is_some() {
            STOP_WORDS_ES
        } else {
            STOP_WORDS
        }
    }

    /// The index term for a normalised word, or `None` for a stop word. Words with a digit are
    /// kept as they are.
    pub(crate) fn term<'a>(&self, w: &'a str) -> Option<Cow<'a, str>> {
        if let Some(es) = &self.es {
            return es.term(w).map(Cow::Owned);
        }
        if is_stop_word(w) {
            return None;
        }
        if w.bytes().any(|b| b.is_ascii_digit()) {
            return Some(Cow::Borrowed(w));
        }
        Some(self.stemmer.stem(w))
    }

    /// See [`StemEs::enye_variants`] (none in English).
    pub(crate) fn enye_variants(&self, w: &str) -> Vec<(String, String)> {
        self.es
            .as_ref()
            .map(|es| es.enye_variants(w))
            .unwrap_or_default()
    }

    /// Other terms a query tries, in order, when [`Stem::term`] is not in the index (Spanish:
    /// see [`StemEs::alt_terms`]; none in English).
    pub(crate) fn alt_terms(&self, w: &str) -> Vec<String> {
        self.es
            .as_ref()
            .map(|es| es.alt_terms(w))
            .unwrap_or_default()
    }
}

/// Every index term of `text`, in order (stop words removed).
pub(crate) fn terms(text: &str, stem: &Stem) -> Vec<String> {
    let mut out = Vec::new();
    let mut buf = String::new();
    for_each_word(text, &mut buf, |w| {
        if let Some(t) = stem.term(w) {
            out.push(t.into_owned());
        }
    });
    out
}

/// Every normalised word of `text` (stop words included).
pub(crate) fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut buf = String::new();
    for_each_word(text, &mut buf, |w| out.push(w.to_string()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uax(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut buf = String::new();
        for w in text.unicode_words() {
            normalise_into(w, &mut buf);
            if !buf.is_empty() && buf.len() <= MAX_WORD_BYTES {
                out.push(buf.clone());
            }
        }
        out
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        let mut s = STOP_WORDS.to_vec();
        s.sort_unstable();
        s.dedup();
        assert_eq!(s, STOP_WORDS);
    }

    #[test]
    fn ascii_fast_path_matches_unicode_segmentation() {
        let samples = [
            "Labor-management partnership: 147,000 members in 2018, up 3.5% (e.g. U.S.).",
            "don't can't workers' it's rock'n'roll a:b 10:30 1,2,3 a.1 1.a __init__ snake_case _",
            "Step 2... Done!! email@example.org http://x.y/z?q=1 v1.2.3 ,5 5, 'quoted' a'b'c",
            "x_1 1_x ___ a__b 12;34 12'34 a;b a,b UBT's 'twas",
        ];
        for s in samples {
            let mut fast = Vec::new();
            let mut buf = String::new();
            for_each_word(s, &mut buf, |w| fast.push(w.to_string()));
            assert_eq!(fast, uax(s), "{s}");
        }
    }

    /// The ASCII path (one pass over a whole ASCII text, words given unchanged when they need
    /// no lowercasing) gives the words `unicode_words` gives, on random ASCII texts of the
    /// characters where its rules matter: every kind of ASCII whitespace, capitals, and the
    /// punctuation that joins letters or digits, at the start and end of the text too.
    #[test]
    fn ascii_fast_path_matches_unicode_segmentation_on_random_texts() {
        let alphabet: Vec<char> = "aZq5_'.:,;- \t\n\r\x0b\x0cX09!".chars().collect();
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..50_000 {
            let mut t = String::new();
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            for k in 0..(x % 13) {
                let r = x.rotate_left(5 * k as u32) as usize;
                t.push(alphabet[r % alphabet.len()]);
            }
            let mut fast = Vec::new();
            let mut buf = String::new();
            for_each_word(&t, &mut buf, |w| fast.push(w.to_string()));
            assert_eq!(fast, uax(&t), "{t:?}");
        }
        // Words longer than `MAX_WORD_BYTES` are left out, with or without capitals.
        let long = "a".repeat(MAX_WORD_BYTES + 1);
        let text = format!("{long} {} ok", long.to_uppercase());
        assert_eq!(words(&text), ["ok"]);
        assert_eq!(uax(&text), ["ok"]);
    }

    /// The Latin-script path gives the words `unicode_words` gives, on Spanish and typeset
    /// English and on random strings of the characters where its rules matter.
    #[test]
    fn latin_fast_path_matches_unicode_segmentation() {
        let samples = [
            "¿Qué es la asociación? ¡Más de 4,5 millones de miembros! «Colíder» — niño, pingüino",
            "Los trabajadores’ 1’000 l’équipe ‘citado’ “comillas” … 73 % Ñandú ÀÉÎÕÜ ß×÷ 1.º Nª µm",
            "año_2024 _ñ_ árbol.árbol a:é é:1 1,5 2;3 4.5.6 x’’y ő ș ǅ ɏ",
        ];
        let mut cases: Vec<String> = samples.iter().map(|s| s.to_string()).collect();
        cases.extend(crate::util::random_texts(
            "aZ5_'.:,;-é ÑüßÁ’‘—«¿¡ª×\u{a0}…",
            0x9E37_79B9_7F4A_7C15,
            20_000,
        ));
        for s in &cases {
            let mut fast = Vec::new();
            let mut buf = String::new();
            for_each_word(s, &mut buf, |w| fast.push(w.to_string()));
            assert_eq!(fast, uax(s), "{s:?}");
        }
    }

    /// The bytes of every character up to U+FFFF and a few beyond are classed by `latin_at` as
    /// `latin_cls` classes the character, with its length; a letter, digit or curly apostrophe
    /// is marked as not given as it is exactly when `already_normal` says so of it alone.
    #[test]
    fn latin_at_classes_bytes_as_latin_cls_classes_characters() {
        let chars = (0..=0xFFFFu32)
            .chain([0x1_0000, 0x1_D11E, 0x1_F600, 0x10_FFFF])
            .filter_map(char::from_u32);
        for c in chars {
            let s = format!("{c}a");
            let got = latin_at(s.as_bytes(), 0);
            assert_eq!(got.map(|g| g.0), latin_cls(c), "{c:?}");
            assert_eq!(is_latin(c.to_string().as_bytes()), latin_cls(c).is_some());
            if let Some((k, len, up)) = got {
                assert_eq!(len, c.len_utf8(), "{c:?}");
                if matches!(k, Cls::Letter | Cls::Digit | Cls::Under)
                    || (c > '\u{7f}' && k == Cls::MidLetter)
                {
                    assert_eq!(up, !already_normal(&c.to_string()), "{c:?}");
                }
            }
        }
        assert_eq!(first_non_ascii(b""), None);
        for n in 0..40 {
            let mut t = "a".repeat(n).into_bytes();
            assert_eq!(first_non_ascii(&t), None);
            for at in 0..n {
                t[at] = 0xC3;
                assert_eq!(first_non_ascii(&t), Some(at), "{n} {at}");
                t[at] = b'a';
            }
        }
    }

    /// The words of a text that is not all ASCII are those of its pieces between ASCII
    /// whitespace, each by itself (as they were given before its ASCII and Latin-script
    /// stretches went in one pass): on Spanish and random texts of up to 60 characters of every kind of whitespace,
    /// accents, joining punctuation and other scripts, at either end too.
    #[test]
    fn ascii_runs_in_one_pass_give_the_words_of_each_piece() {
        let by_pieces = |text: &str| {
            let mut out = Vec::new();
            let mut buf = String::new();
            for piece in text.split_ascii_whitespace() {
                let mut push = |w: &str| out.push(w.to_string());
                if piece.is_ascii() {
                    ascii_words(piece, &mut buf, &mut push);
                } else {
                    other_piece(piece, &mut buf, &mut push);
                }
            }
            out
        };
        let mut cases: Vec<String> = [
            "La asociación, con 4,5 millones de miembros: ¿qué es? Región Norte.",
            "é",
            " é ",
            "a é b",
            "\tnegociación\n\nAÑO 2024’s l’équipe 東京 x",
            "ñ\u{b}a ñ\u{c}b ñ\rc",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let pieces = crate::util::random_texts(
            "aZ5_'.:,;-é ÑüÁ’—«¿×\u{a0}\t\n\r\u{b}\u{c}東",
            0x2545_F491_4F6C_DD1D,
            70_000,
        );
        cases.extend(pieces.chunks(7).map(|c| c.concat()));
        for t in &cases {
            let mut got = Vec::new();
            let mut buf = String::new();
            for_each_word(t, &mut buf, |w| got.push(w.to_string()));
            assert_eq!(got, by_pieces(t), "{t:?}");
        }
    }

    /// [`normalise_into`] as it was, char by char (the reference of the test below).
    fn normalise_chars(w: &str) -> String {
        let mut buf = String::new();
        let has_digit = w.bytes().any(|b| b.is_ascii_digit());
        for c in w.chars() {
            match c {
                '\u{2019}' | '\u{2018}' => buf.push('\''),
                ',' if has_digit => {}
                c => buf.extend(c.to_lowercase()),
            }
        }
        while buf.ends_with('\'') {
            buf.pop();
        }
        buf
    }

    /// Runs of ASCII lowercased at once give what lowercasing char by char gives, on Spanish,
    /// on characters whose lowercase is longer or ASCII (`İ`, the Kelvin sign) and on random
    /// strings of them.
    #[test]
    fn normalise_by_runs_matches_char_by_char() {
        let mut cases: Vec<String> = [
            "Negociación",
            "AÑO",
            "ÀÉÎÕÜ×ÞßÿµªºÆ",
            "İSTANBUL",
            "\u{212A}ELVIN",
            "ΣΊΣΥΦΟΣ",
            "1,000’s",
            "Workers’",
            "a,b",
            "Ǆungla",
            "ǅ",
            "ŐSZ",
            "",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        cases.extend(crate::util::random_texts(
            "aZ5,'’‘éÉñÑİ\u{212A}ΣǄŐ×ß",
            0x2545_F491_4F6C_DD1D,
            20_000,
        ));
        let mut buf = String::new();
        for w in &cases {
            normalise_into(w, &mut buf);
            assert_eq!(buf, normalise_chars(w), "{w:?}");
        }
    }

    /// A word taken as it is is one that normalising leaves as it is, and in Latin-1 the other
    /// way round, on every word of one or two characters of Latin-1 and a few beyond, and on
    /// longer ones.
    #[test]
    fn already_normal_is_what_normalising_leaves_alone() {
        let mut chars: Vec<char> = (0x20u8..=0x7E).chain(0xA0..=0xFF).map(char::from).collect();
        chars.extend(['’', '‘', 'ő', 'Ő', 'İ', '\u{212A}']);
        let mut words: Vec<String> = Vec::new();
        for &a in &chars {
            words.push(a.to_string());
            for &b in &chars {
                words.push(format!("{a}{b}"));
            }
        }
        words.extend(
            [
                "negociación",
                "años",
                "Región",
                "1,000",
                "a,b",
                "workers'",
                "l'équipe",
                "niño×2",
            ]
            .map(String::from),
        );
        let mut buf = String::new();
        for w in &words {
            normalise_into(w, &mut buf);
            if already_normal(w) {
                assert_eq!(buf, *w, "taken as it is");
            } else if w.chars().all(|c| (c as u32) < 0x100) {
                // Beyond Latin-1 it may say no to a word that is normal (`ő`): it is normalised.
                assert_ne!(buf, *w, "{w:?} is normal: it could be taken as it is");
            }
        }
    }

    #[test]
    fn latin1_lowercase_is_unicode_lowercase() {
        for b in 0..=255u8 {
            let c = char::from(b);
            let unicode: String = c.to_lowercase().collect();
            assert_eq!(latin1_lowercase(b).to_string(), unicode, "U+{b:04X}");
        }
    }

    #[test]
    fn case_folding_numbers_and_apostrophes() {
        assert_eq!(
            words("Hawaiʻi Ünion WORKERS’ 147,000 2018"),
            ["hawaiʻi", "ünion", "workers", "147000", "2018"]
        );
    }

    #[test]
    fn stemming_and_stop_words() {
        let s = Stem::new();
        assert_eq!(
            terms("The negotiations of the negotiating team", &s),
            ["negoti", "negoti", "team"]
        );
        assert_eq!(
            terms("Partnership partnerships 2018", &s),
            ["partnership", "partnership", "2018"]
        );
    }
}
