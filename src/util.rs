//! Small pure helpers shared by the pipeline: ISO dates, number and size formatting, HTML/XML
//! escaping, URL joining, and a hasher for short keys. Nothing here does I/O.

use std::fmt;

/// The URL slugifier lives in [`crate::slug`] (the one slugifier); re-exported for the callers
/// that know it here.
pub(crate) use crate::slug::slugify;

/// A hasher for sets and maps of short keys (URLs, paths): XXH3 of the bytes, cheaper than the
/// standard SipHash for them. Not for keys an attacker picks to collide; nothing is kept by its
/// value: a collision costs a comparison.
#[derive(Default)]
pub(crate) struct Short(u64);

impl std::hash::Hasher for Short {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = xxhash_rust::xxh3::xxh3_64_with_seed(bytes, self.0);
    }
    fn write_u8(&mut self, b: u8) {
        self.0 = self.0.rotate_left(8) ^ u64::from(b);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A calendar date (proleptic Gregorian), parsed from ISO `YYYY-MM-DD` (a datetime's date part).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Date {
    /// Parse `2021-06-30` or a datetime `2021-06-30T10:00:00Z` / `2021-06-30 10:00`.
    /// The error says what is wrong in words an author understands.
    pub fn parse(s: &str) -> Result<Date, String> {
        let s = s.trim();
        // QA Q78: a date in words or numbers of another shape (`January 2, 2024`, `2 de enero
        // de 2024`, `2024-1-2`): the ISO form when it is unambiguous.
        let iso_shaped = s.len() >= 10
            && s.as_bytes()[..4].iter().all(u8::is_ascii_digit)
            && s.as_bytes()[4] == b'-'
            && s.as_bytes()[7] == b'-';
        if !iso_shaped {
            if let Some(d) = Date::in_words(s) {
                return Err(format!(
                    "`{s}` is not written as YYYY-MM-DD: write `{}`",
                    d.iso()
                ));
            }
            // Hostile pass s24: `20160128`, the digits of a date without its dashes.
            if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
                let iso = format!("{}-{}-{}", &s[..4], &s[4..6], &s[6..]);
                if Date::parse(&iso).is_ok() {
                    return Err(format!("`{s}` is not written as YYYY-MM-DD: write `{iso}`"));
                }
            }
            let nums: Vec<&str> = s.split(['/', '.']).collect();
            if nums.len() == 3
                && nums
                    .iter()
                    .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            {
                // QA s11: `31/12/2024` can only be one day: that day, written as it should be.
                let n: Vec<u32> = nums.iter().map(|n| n.parse().unwrap_or(0)).collect();
                let real = |y: u32, m: u32, d: u32| {
                    let iso = format!("{y:04}-{m:02}-{d:02}");
                    (nums[2].len() == 4 && Date::parse(&iso).is_ok()).then_some(iso)
                };
                match (real(n[2], n[1], n[0]), real(n[2], n[0], n[1])) {
                    (Some(dm), Some(md)) if dm != md => {
                        return Err(format!(
                            "`{s}` is not written as YYYY-MM-DD: it is {} {} in Spanish (`{dm}`) and {} {} in English (`{md}`), so write the year, month and day: `{dm}` or `{md}`",
                            n[0],
                            MONTHS[n[1] as usize - 1],
                            MONTHS[n[0] as usize - 1],
                            n[1]
                        ));
                    }
                    (Some(one), _) | (None, Some(one)) => {
                        return Err(format!("`{s}` is not written as YYYY-MM-DD: write `{one}`"));
                    }
                    (None, None) => {}
                }
                return Err(format!(
                    "`{s}` is not written as YYYY-MM-DD: `02/01/2024` is 2 January in Spanish and February 1 in English, so write the year, month and day as `2024-01-02`"
                ));
            }
            return Err(format!(
                "`{s}` is not an ISO date: write it as YYYY-MM-DD, e.g. 2021-06-30"
            ));
        }
        let date_part = s.split(['T', ' ']).next().unwrap_or("");
        if date_part.len() != s.len() && !valid_time(&s[date_part.len() + 1..]) {
            return Err(format!(
                "`{s}` has a time part that is not `HH:MM[:SS][Z|±HH:MM]`"
            ));
        }
        let parts: Vec<&str> = date_part.split('-').collect();
        let shape_ok = parts.len() == 3
            && parts[0].len() == 4
            && parts[1].len() == 2
            && parts[2].len() == 2
            && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
        if !shape_ok {
            return Err(format!(
                "`{s}` is not an ISO date: write it as YYYY-MM-DD, e.g. 2021-06-30"
            ));
        }
        let year: i32 = parts[0].parse().map_err(|_| format!("bad year in `{s}`"))?;
        let month: u8 = parts[1]
            .parse()
            .map_err(|_| format!("bad month in `{s}`"))?;
        let day: u8 = parts[2].parse().map_err(|_| format!("bad day in `{s}`"))?;
        if !(1..=12).contains(&month) {
            return Err(format!("`{s}` has month {month}: months run from 01 to 12"));
        }
        let dim = days_in_month(year, month);
        if day == 0 || day > dim {
            return Err(format!(
                "`{s}` does not exist: {} {year} has {dim} days",
                MONTHS[month as usize - 1]
            ));
        }
        Ok(Date { year, month, day })
    }

    /// `2021-06-30`.
    pub(crate) fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// A date written in words (`January 2, 2024`, `2 Jan 2024`, `2 de enero de 2024`) or with
    /// one-digit parts (`2024-1-2`), when it is a real date.
    fn in_words(s: &str) -> Option<Date> {
        const ES: [&str; 12] = [
            "enero",
            "febrero",
            "marzo",
            "abril",
            "mayo",
            "junio",
            "julio",
            "agosto",
            "septiembre",
            "octubre",
            "noviembre",
            "diciembre",
        ];
        let lower = s.to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| c.is_whitespace() || c == ',' || c == '-' || c == '/')
            .filter(|w| !w.is_empty() && *w != "de" && *w != "of")
            .collect();
        let all_numbers = words.iter().all(|x| x.parse::<u32>().is_ok());
        if all_numbers && words.first().is_none_or(|w| w.len() != 4) {
            // `02/01/2024`: the order of day and month depends on the language.
            return None;
        }
        let (mut year, mut month, mut day) = (None, None, None);
        for w in &words {
            let w = w.trim_end_matches('.');
            if let Ok(n) = w.parse::<u32>() {
                if w.len() == 4 {
                    year = Some(n as i32);
                } else if month.is_none() && all_numbers {
                    // All numbers: year first (`2024-1-2`).
                    month = u8::try_from(n).ok();
                } else {
                    day = u8::try_from(n).ok();
                }
                continue;
            }
            let m = MONTHS
                .iter()
                .position(|m| {
                    let m = m.to_lowercase();
                    w.len() >= 3 && m.starts_with(w)
                })
                .or_else(|| ES.iter().position(|m| w.len() >= 3 && m.starts_with(w)))?;
            month = Some(m as u8 + 1);
        }
        let (year, month, day) = (year?, month?, day?);
        (1..=12).contains(&month).then_some(())?;
        (day >= 1 && day <= days_in_month(year, month)).then_some(())?;
        Some(Date { year, month, day })
    }

    /// `June 30, 2021`.
    pub(crate) fn display(&self) -> String {
        format!(
            "{} {}, {}",
            MONTHS[self.month as usize - 1],
            self.day,
            self.year
        )
    }

    /// Today's date in UTC from the system clock (used by `lmp new` and for publish dates).
    pub(crate) fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Date::from_days(secs.div_euclid(86_400))
    }

    /// Days since 1970-01-01 (the inverse of [`Date::from_days`]; Howard Hinnant's algorithm).
    pub(crate) fn days(self) -> i64 {
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    pub(crate) fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        Date {
            year: (if m <= 2 { y + 1 } else { y }) as i32,
            month: m,
            day: d,
        }
    }
}

fn valid_time(t: &str) -> bool {
    let t = t.trim_end_matches('Z');
    let t = match t.find(['+', '-']) {
        Some(i) => &t[..i],
        None => t,
    };
    let parts: Vec<&str> = t.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
}

pub(crate) fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// `1347` → `1,347`.
pub(crate) fn thousands(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Human file size: `812 bytes`, `23 kB`, `1.4 MB` (SI units, as browsers show downloads).
/// A reader's name for a file's type, from its extension: `PDF`, `Word document`.
pub(crate) fn file_type(name: &str) -> String {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let kind = match ext.as_str() {
        "pdf" => "PDF",
        "csv" => "CSV",
        "txt" => "Text",
        "md" => "Markdown text",
        "doc" | "docx" => "Word document",
        "xls" | "xlsx" => "Excel workbook",
        "ppt" | "pptx" => "PowerPoint",
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "svg" => "Image",
        "zip" => "ZIP archive",
        "" => "File",
        other => other,
    };
    let mut c = kind.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

pub(crate) fn human_size(bytes: u64) -> String {
    match bytes {
        // "(File, 1 bytes)" under a download read as a typo (QA Q133).
        1 => "1 byte".to_string(),
        0..=999 => format!("{bytes} bytes"),
        // Rounded before the unit is chosen: 999,999 bytes are "1.0 MB", not "1000 kB".
        1_000..=999_499 => format!("{} kB", (bytes + 500) / 1_000),
        _ => format!("{:.1} MB", bytes as f64 / 1_000_000.0),
    }
}

/// Percentage rounded half up, from integer counts: `share(1006, 1347)` = 75.
pub(crate) fn percent(part: i64, whole: i64) -> i64 {
    if whole <= 0 {
        0
    } else {
        (part * 200 + whole) / (2 * whole)
    }
}

/// Text pasted from Word or a web page carries invisible characters inside words (hostile author,
/// session 21): Word's optional hyphens (U+00AD, soft hyphen), zero-width spaces (U+200B), word
/// joiners (U+2060) and byte order marks (U+FEFF). In the search index they cut a word in two
/// or make it another word (`team\u{ad}work` was not found by `teamwork`). `text` without them;
/// borrowed when it has none (found by their lead bytes, 0xC2 and 0xE2/0xEF, with memchr). Used
/// on front matter text fields and by the search tokeniser on the (rare) pieces of text that hold
/// one, not on every text of a body (a memchr per text event cost ~60 M instructions at 10,000
/// documents).
pub(crate) fn without_invisibles(text: &str) -> std::borrow::Cow<'_, str> {
    let b = text.as_bytes();
    let has = memchr::memchr3_iter(0xC2, 0xE2, 0xEF, b).any(|i| {
        matches!(
            &b[i..(i + 3).min(b.len())],
            [0xC2, 0xAD, ..] | [0xE2, 0x80, 0x8B] | [0xE2, 0x81, 0xA0] | [0xEF, 0xBB, 0xBF]
        )
    });
    if has {
        text.replace(['\u{ad}', '\u{200b}', '\u{2060}', '\u{feff}'], "")
            .into()
    } else {
        text.into()
    }
}

/// Natural order for names shown to a person: runs of digits compare by their value, so
/// `s2` comes before `s10` (byte order reads `s0`, `s1`, `s10`, `s100`, `s2`). A total order:
/// names equal by value (`s01`, `s1`) fall back to byte order, so sorting is deterministic.
pub(crate) fn natural_cmp(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i].is_ascii_digit() && b[j].is_ascii_digit() {
            let run = |s: &[u8], k: usize| {
                let end = s[k..]
                    .iter()
                    .position(|c| !c.is_ascii_digit())
                    .map_or(s.len(), |n| k + n);
                let zeros = s[k..end].iter().take_while(|&&c| c == b'0').count();
                (k + zeros, end)
            };
            let ((sa, ea), (sb, eb)) = (run(a, i), run(b, j));
            // Without leading zeros, the longer number is the larger; then digit by digit.
            let by_value = (ea - sa)
                .cmp(&(eb - sb))
                .then_with(|| a[sa..ea].cmp(&b[sb..eb]));
            if by_value != Ordering::Equal {
                return by_value;
            }
            (i, j) = (ea, eb);
        } else {
            if a[i] != b[j] {
                return a[i].cmp(&b[j]);
            }
            i += 1;
            j += 1;
        }
    }
    (a.len() - i).cmp(&(b.len() - j)).then_with(|| a.cmp(b))
}

/// [`natural_cmp`] of two paths.
pub(crate) fn natural_path_cmp(a: &std::path::Path, b: &std::path::Path) -> std::cmp::Ordering {
    natural_cmp(
        a.as_os_str().as_encoded_bytes(),
        b.as_os_str().as_encoded_bytes(),
    )
}

#[cfg(test)]
thread_local! {
    /// The cells of edit-distance tables this thread has filled (see [`compared`]).
    static COMPARED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Count `n` cells of an edit-distance table filled: tests read the sum (`compared_so_far`) to
/// show that "did you mean" does not compare a word with every candidate.
#[cfg(test)]
pub(crate) fn compared(n: usize) {
    COMPARED.with(|c| c.set(c.get().wrapping_add(n)));
}

/// The cells this thread has filled so far (see [`compared`]).
#[cfg(test)]
pub(crate) fn compared_so_far() -> usize {
    COMPARED.with(std::cell::Cell::get)
}

/// Optimal string alignment distance between `a` and `b`, or `None` when above `max`.
pub(crate) fn edit_distance(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        d[i * w] = i;
        let mut row_min = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
            row_min = row_min.min(v);
        }
        #[cfg(test)]
        compared(b.len());
        if row_min > max {
            return None;
        }
    }
    let v = d[a.len() * w + b.len()];
    (v <= max).then_some(v)
}

/// Whether an address points at YouTube or Vimeo at all (even one we cannot read an id from).
pub(crate) fn is_service_url(url: &str) -> bool {
    let host = url
        .split("://")
        .nth(1)
        .unwrap_or("")
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    [
        "youtube.com",
        "youtu.be",
        "youtube-nocookie.com",
        "vimeo.com",
    ]
    .iter()
    .any(|h| host == *h || host.ends_with(&format!(".{h}")))
}

/// A deterministic generator of numbers below its argument (xorshift, started at `seed`): the
/// randomized tests' same cases every run.
#[cfg(test)]
pub(crate) fn rng(mut seed: u64) -> impl FnMut(usize) -> usize {
    move |m: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % m as u64) as usize
    }
}

/// Test texts: `count` strings of 0 to 8 characters of `alphabet`, from a xorshift generator
/// started at `seed` (the same texts every run). The fast paths' tests compare them against the
/// plain code.
#[cfg(test)]
pub(crate) fn random_texts(alphabet: &str, seed: u64, count: usize) -> Vec<String> {
    let alphabet: Vec<char> = alphabet.chars().collect();
    let mut x = seed;
    (0..count)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (0..(x % 9))
                .map(|k| alphabet[x.rotate_left(7 * k as u32) as usize % alphabet.len()])
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// QA Q78: dates in words or other number shapes get the ISO form meant, never "a time
    /// part"; day/month order that differs by language is named.
    #[test]
    fn dates_in_words_get_the_iso_form() {
        for (given, want) in [
            ("January 2, 2024", "write `2024-01-02`"),
            ("2 Jan 2024", "write `2024-01-02`"),
            ("2 de enero de 2024", "write `2024-01-02`"),
            ("2024-1-2", "write `2024-01-02`"),
            (
                "02/01/2024",
                "it is 2 January in Spanish (`2024-01-02`) and February 1 in English (`2024-02-01`)",
            ),
            // QA s11: one day only: that day.
            ("31/12/2024", "write `2024-12-31`"),
            ("12/31/2024", "write `2024-12-31`"),
            ("1.3.2025", "`2025-03-01` or `2025-01-03`"),
            ("05/05/2025", "write `2025-05-05`"),
            // No such day either way: the general rule.
            (
                "45/45/2024",
                "so write the year, month and day as `2024-01-02`",
            ),
        ] {
            let e = Date::parse(given).unwrap_err();
            assert!(e.contains(want), "{given}: {e}");
            assert!(!e.contains("time part"), "{given}: {e}");
        }
        assert_eq!(
            Date::parse("2024-01-02").map(|d| d.iso()),
            Ok("2024-01-02".into())
        );
        assert!(
            Date::parse("February 30, 2024")
                .unwrap_err()
                .contains("not an ISO date")
        );
    }

    #[test]
    fn dates() {
        assert_eq!(
            Date::parse("2021-06-30").unwrap().display(),
            "June 30, 2021"
        );
        assert!(Date::parse("2021-6-30").unwrap_err().contains("YYYY-MM-DD"));
        assert!(Date::parse("2021-06-31").unwrap_err().contains("30 days"));
        assert!(Date::parse("2021-02-29").is_err());
        assert!(Date::parse("2020-02-29").is_ok());
        assert!(Date::parse("2021-06-30T10:00:00Z").is_ok());
        assert!(Date::parse("2021-13-01").is_err());
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        for z in [-800_000, -1, 0, 59, 60, 11_016, 20_000, 20_785, 2_932_896] {
            assert_eq!(Date::from_days(z).days(), z);
        }
        assert_eq!(Date::from_days(18_808).to_string(), "2021-06-30");
    }

    #[test]
    fn numbers() {
        assert_eq!(thousands(4_500_000), "4,500,000");
        assert_eq!(thousands(256), "256");
        assert_eq!(percent(1006, 1347), 75);
        assert_eq!(percent(2674, 3651), 73);
        assert_eq!(percent(54, 60), 90);
        assert_eq!(human_size(1), "1 byte");
        assert_eq!(human_size(2), "2 bytes");
        assert_eq!(human_size(23_456), "23 kB");
        assert_eq!(human_size(999_499), "999 kB");
        assert_eq!(human_size(999_999), "1.0 MB");
    }

    #[test]
    fn natural_order_reads_numbers_by_value() {
        let mut names = vec![
            "s100.md",
            "s2.md",
            "s10.md",
            "s1.md",
            "s0.md",
            "s01.md",
            "a/s9.md",
            "a/s10/x.md",
            "s.md",
            "s1a.md",
            "s1.md",
        ];
        names.sort_by(|a, b| natural_cmp(a.as_bytes(), b.as_bytes()));
        assert_eq!(
            names,
            [
                "a/s9.md",
                "a/s10/x.md",
                "s.md",
                "s0.md",
                "s01.md",
                "s1.md",
                "s1.md",
                "s1a.md",
                "s2.md",
                "s10.md",
                "s100.md"
            ]
        );
        // A total order: antisymmetric on every pair, equal only when the bytes are.
        for a in &names {
            for b in &names {
                let (x, y) = (a.as_bytes(), b.as_bytes());
                assert_eq!(natural_cmp(x, y), natural_cmp(y, x).reverse(), "{a} {b}");
                assert_eq!(natural_cmp(x, y).is_eq(), a == b, "{a} {b}");
            }
        }
    }
}
