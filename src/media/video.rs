//! Videos: the one model of a video (a hosted file under `static/` with WebVTT captions and a
//! poster, or a YouTube/Vimeo video behind a click-to-load facade), the addresses of the
//! services (watch page, privacy-preserving player), the content sniffing of hosted files and
//! the walk of an MP4's top-level boxes ([`mp4_read`]: its tracks' codes, or that it is cut
//! short), the WebVTT validator ([`vtt`]), and the checks of the videos collection's fields and
//! of the files `{video}` components play.

use std::collections::BTreeSet;

use super::{Src, Statics};
use crate::content::Document;
use crate::content::collections::Fields;
use crate::diagnostics::Diagnostic;

/// A YouTube or Vimeo video.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hosted {
    /// `youtube` or `vimeo`.
    pub provider: &'static str,
    pub id: String,
    /// Where to start, in seconds (YouTube's `t=`/`start=`, Vimeo's `#t=`).
    pub start: Option<u32>,
    /// Vimeo's hash of an unlisted video (`vimeo.com/ID/HASH`, `?h=HASH`): without it the
    /// player says the video is private.
    pub hash: Option<String>,
}

impl Hosted {
    /// The service's name as readers know it.
    pub(crate) fn name(&self) -> &'static str {
        match self.provider {
            "youtube" => "YouTube",
            _ => "Vimeo",
        }
    }

    /// The normal watch page (the facade's link with JavaScript off), at the start time.
    pub(crate) fn watch_url(&self) -> String {
        match self.provider {
            "youtube" => {
                let t = self.start.map(|s| format!("&t={s}s")).unwrap_or_default();
                format!("https://www.youtube.com/watch?v={}{t}", self.id)
            }
            _ => {
                let h = self
                    .hash
                    .as_ref()
                    .map(|h| format!("/{h}"))
                    .unwrap_or_default();
                let t = self.start.map(|s| format!("#t={s}s")).unwrap_or_default();
                format!("https://vimeo.com/{}{h}{t}", self.id)
            }
        }
    }

    /// The player loaded after the click: no cookies (youtube-nocookie.com), Vimeo's do-not-track;
    /// the start time and an unlisted Vimeo video's hash kept.
    pub(crate) fn player_url(&self) -> String {
        match self.provider {
            "youtube" => {
                let t = self
                    .start
                    .map(|s| format!("&start={s}"))
                    .unwrap_or_default();
                format!(
                    "https://www.youtube-nocookie.com/embed/{}?autoplay=1&rel=0{t}",
                    self.id
                )
            }
            _ => {
                let h = self
                    .hash
                    .as_ref()
                    .map(|h| format!("h={h}&"))
                    .unwrap_or_default();
                let t = self.start.map(|s| format!("#t={s}s")).unwrap_or_default();
                format!(
                    "https://player.vimeo.com/video/{}?{h}dnt=1&autoplay=1{t}",
                    self.id
                )
            }
        }
    }
}

/// A start time as YouTube and Vimeo write it: `42`, `42s`, `1m30s`, `1h2m3s`.
fn seconds(t: &str) -> Option<u32> {
    if let Ok(n) = t.parse::<u32>() {
        return Some(n);
    }
    let mut total: u32 = 0;
    let mut num = String::new();
    for c in t.chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let n: u32 = num.parse().ok()?;
        num.clear();
        let unit = match c {
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(unit)?)?;
    }
    num.is_empty().then_some(total)
}

/// The query and fragment parameters of an address (`a=1&t=42#t=1m`), in order.
fn params(url: &str) -> Vec<(&str, &str)> {
    let after = match (url.find('?'), url.find('#')) {
        (Some(q), _) => &url[q + 1..],
        (None, Some(h)) => &url[h + 1..],
        (None, None) => "",
    };
    after
        .split(['&', '#'])
        .filter_map(|kv| kv.split_once('='))
        .collect()
}

/// The YouTube or Vimeo video of an address (`https://www.youtube.com/watch?v=…`,
/// `https://youtu.be/…`, `…/embed/…`, `…/shorts/…`, `…/live/…`, `https://vimeo.com/123`,
/// `https://vimeo.com/123/HASH` (unlisted), `https://vimeo.com/channels/NAME/123`,
/// `https://vimeo.com/showcase/ID/video/123`, `https://player.vimeo.com/video/123?h=HASH`), with its start time (`t=`, `start=`, `#t=`).
pub(crate) fn hosted(url: &str) -> Option<Hosted> {
    let mut h = hosted_video(url)?;
    let ps = params(url);
    h.start = ps
        .iter()
        .find(|(k, _)| *k == "t" || *k == "start")
        .and_then(|(_, v)| seconds(v))
        .filter(|&s| s > 0);
    if h.provider == "vimeo" && h.hash.is_none() {
        h.hash = ps
            .iter()
            .find(|(k, _)| *k == "h")
            .map(|(_, v)| v.to_string())
            .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_alphanumeric()));
    }
    Some(h)
}

/// An address without its scheme and `www.`/`m.` (`youtube.com/watch?v=…`).
fn host_and_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    Some(
        rest.strip_prefix("www.")
            .or_else(|| rest.strip_prefix("m."))
            .unwrap_or(rest),
    )
}

/// The part of a YouTube address that names the video, as written (maybe not a valid id);
/// None when `url` is not a YouTube video address at all.
fn youtube_token(url: &str) -> Option<&str> {
    let rest = host_and_path(url)?;
    let raw = match rest.strip_prefix("youtube.com/watch?") {
        Some(q) => q.split(['&', '#']).find_map(|kv| kv.strip_prefix("v="))?,
        None => [
            "youtu.be/",
            "youtube.com/embed/",
            "youtube-nocookie.com/embed/",
            "youtube.com/shorts/",
            "youtube.com/live/",
        ]
        .iter()
        .find_map(|p| rest.strip_prefix(p))?,
    };
    raw.split(['?', '&', '#', '/']).next()
}

/// A YouTube video id: exactly 11 letters, digits, `-` or `_`.
fn is_youtube_id(id: &str) -> bool {
    id.len() == 11
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Whether a bare value looks like a YouTube video id rather than a slug (slugs have no capital
/// letters nor `_`; an id nearly always has one of them or a digit).
pub(crate) fn looks_like_youtube_id(value: &str) -> bool {
    is_youtube_id(value)
        && value
            .bytes()
            .any(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// Why a YouTube address is refused (message, help), when its video id is not one (QA s5 Q48:
/// a shortened or mistyped id gives a player that says "Video unavailable").
pub(crate) fn bad_youtube_id(url: &str) -> Option<(String, String)> {
    let id = youtube_token(url)?;
    if is_youtube_id(id) {
        return None;
    }
    let why = if id.is_empty() {
        "it has no video id".to_string()
    } else if id.len() != 11 {
        format!(
            "`{id}` is not a YouTube video id: an id is 11 characters, this one has {}",
            id.chars().count()
        )
    } else {
        format!("`{id}` is not a YouTube video id: an id is letters, digits, `-` and `_` only")
    };
    Some((
        format!("{url}: {why}"),
        "copy the address from the browser's address bar on the video's page, or from YouTube's Share → Copy, e.g. `https://www.youtube.com/watch?v=dQw4w9WgXcQ`".into(),
    ))
}

/// Why a YouTube or Vimeo address that names no single video is refused (message, help):
/// a YouTube id that is not one (see [`bad_youtube_id`]), or a Vimeo page that is not a video
/// (a showcase or channel, a person's page).
pub(crate) fn bad_service_address(url: &str) -> Option<(String, String)> {
    if let Some(refused) = bad_youtube_id(url) {
        return Some(refused);
    }
    if hosted_video(url).is_some() {
        return None;
    }
    // A YouTube playlist or channel names no video ("not a YouTube or Vimeo address" said the
    // opposite of what the author sees in the address bar).
    if let Some(path) = host_and_path(url).and_then(|r| r.strip_prefix("youtube.com/")) {
        let first = path.split(['/', '?', '#']).next().unwrap_or_default();
        let what = match first {
            "playlist" => "a YouTube playlist (a list of videos), not one video",
            "channel" | "c" | "user" => "a YouTube channel, not one video",
            f if f.starts_with('@') => "a YouTube channel, not one video",
            _ => return None,
        };
        return Some((
            format!("{url}: {what}"),
            "open the video itself on YouTube and copy the address from the browser's address bar: `https://www.youtube.com/watch?v=…` (one of a playlist's works too, with its `&list=…`)".into(),
        ));
    }
    let path = host_and_path(url)?.strip_prefix("vimeo.com/")?;
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let what = match parts.as_slice() {
        ["showcase" | "album", ..] => "a Vimeo showcase (a list of videos), not one video",
        ["channels", ..] | ["groups", ..] => "a Vimeo channel or group, not one video",
        _ => "a Vimeo page, not a video's address",
    };
    Some((
        format!("{url}: {what}"),
        "open the video itself on Vimeo and copy the address from the browser's address bar: `https://vimeo.com/123456789`, or `https://vimeo.com/showcase/…/video/123456789` inside a showcase".into(),
    ))
}

fn hosted_video(url: &str) -> Option<Hosted> {
    if let Some(id) = youtube_token(url) {
        return is_youtube_id(id).then(|| Hosted {
            provider: "youtube",
            id: id.to_string(),
            start: None,
            hash: None,
        });
    }
    let rest = host_and_path(url)?;
    let path = rest
        .strip_prefix("vimeo.com/")
        .or_else(|| rest.strip_prefix("player.vimeo.com/video/"))?;
    let path = path.split(['?', '#']).next().unwrap_or_default();
    // `channels/NAME/ID` and `groups/NAME/videos/ID` end with the id; `ID/HASH` is unlisted.
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let digits = |p: &&str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    let (id, hash) = match parts.as_slice() {
        [id] if digits(id) => (*id, None),
        [id, hash] if digits(id) && hash.bytes().all(|b| b.is_ascii_alphanumeric()) => {
            (*id, Some(hash.to_string()))
        }
        ["channels", _, id] | ["groups", _, "videos", id] if digits(id) => (*id, None),
        // A video in a showcase (`album` is its former name) and the owner's own page of it.
        ["showcase" | "album", _, "video", id] | ["manage", "videos", id] if digits(id) => {
            (*id, None)
        }
        _ => return None,
    };
    Some(Hosted {
        provider: "vimeo",
        id: id.to_string(),
        start: None,
        hash,
    })
}

/// The MIME type of a hosted video file by its name (`video/mp4`, `video/webm`).
pub(crate) fn mime_of(path: &str) -> &'static str {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".webm") {
        "video/webm"
    } else {
        "video/mp4"
    }
}

/// Why an MP4 cannot play: what is wrong, said for the person who uploaded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Mp4Problem {
    /// A top-level box goes on past the end of the file (an interrupted copy or upload): the
    /// file's size and the size its boxes say it has.
    Cut { len: u64, declared: u64 },
    /// The boxes end without a `moov` box, the index a player needs to find anything (an
    /// export or recording that stopped before writing it; a copy cut at a box boundary).
    NoMoov,
}

impl Mp4Problem {
    /// The message after the file's path ("/videos/x.mp4 …").
    pub(crate) fn message(&self, path: &str) -> String {
        match self {
            Mp4Problem::Cut { len, declared } => format!(
                "{path} is cut short ({} of the {} the file says it has): no browser can play it",
                crate::util::human_size(*len),
                crate::util::human_size(*declared)
            ),
            Mp4Problem::NoMoov => format!(
                "{path} is cut short: it has no index (the MP4 `moov` box), so no browser can play it"
            ),
        }
    }

    /// The help line.
    pub(crate) fn help(&self) -> &'static str {
        match self {
            Mp4Problem::Cut { .. } => {
                "the copy or upload of this file was interrupted: copy it again from the original"
            }
            Mp4Problem::NoMoov => {
                "the export or recording stopped before it finished (or the copy was interrupted): export the video again as MP4 (H.264 and AAC), or copy it again from the original"
            }
        }
    }
}

/// An MP4's tracks' sample-entry codes from its `moov` box, or why it cannot play (QA s8 Q122:
/// an upload cut short was published silently; `ffprobe` says "moov atom not found"). The
/// top-level boxes are walked by their sizes without reading the media data (the `moov` of a
/// phone's video is often at the end), and at most [`MOOV_READ`] bytes of `moov` are read. A
/// file with more than [`MP4_BOXES`] top-level boxes before its `moov` (a fragmented MP4 has
/// its `moov` first) is not judged: no codes, no problem.
pub(crate) fn mp4_read(src: &crate::media::Src) -> Result<Vec<[u8; 4]>, Mp4Problem> {
    let len = src.len();
    let mut offset = 0u64;
    for _ in 0..MP4_BOXES {
        if offset == len {
            return Err(Mp4Problem::NoMoov);
        }
        // A file that cannot be read is the static files' copy to report.
        let Ok(head) = src.read_at(offset, 16) else {
            return Ok(Vec::new());
        };
        let (Some(size), Some(kind)) = (
            head.get(0..4)
                .and_then(|b| <[u8; 4]>::try_from(b).ok())
                .map(u32::from_be_bytes),
            head.get(4..8),
        ) else {
            // Less than a box header left.
            return Err(Mp4Problem::Cut {
                len,
                declared: offset.saturating_add(8),
            });
        };
        let size = match size {
            // A 64-bit size follows the type.
            1 => match head.get(8..16).and_then(|b| <[u8; 8]>::try_from(b).ok()) {
                Some(b) => u64::from_be_bytes(b),
                None => {
                    return Err(Mp4Problem::Cut {
                        len,
                        declared: offset.saturating_add(16),
                    });
                }
            },
            // To the end of the file.
            0 => len.saturating_sub(offset),
            n => u64::from(n),
        };
        // A box smaller than its own header: not an MP4 box structure lmp can judge.
        if size < 8 {
            return Ok(Vec::new());
        }
        let end = offset.saturating_add(size);
        if end > len {
            return Err(Mp4Problem::Cut { len, declared: end });
        }
        if kind == b"moov" {
            let n = usize::try_from(size).unwrap_or(MOOV_READ).min(MOOV_READ);
            let Ok(moov) = src.read_at(offset, n) else {
                return Ok(Vec::new());
            };
            // Each `stsd` box: version and flags, an entry count, then the first entry's size
            // and its code.
            return Ok(moov
                .windows(4)
                .enumerate()
                .filter(|(_, w)| *w == b"stsd")
                .filter_map(|(i, _)| moov.get(i + 16..i + 20)?.try_into().ok())
                .collect());
        }
        offset = end;
    }
    Ok(Vec::new())
}

/// How many top-level boxes [`mp4_read`] walks looking for `moov`.
const MP4_BOXES: usize = 64;

/// The help for an HEVC video: export it as H.264.
pub(crate) const HEVC_HELP: &str = "export it as MP4 with H.264 video (every browser plays it); on an iPhone, Settings → Camera → Formats → Most Compatible records H.264";

/// How much of an MP4's `moov` box [`mp4_read`] reads.
const MOOV_READ: usize = 8 << 20;

/// Whether a video track is HEVC (H.265; `hvc1`/`hev1`, Dolby Vision's `dvh1`/`dvhe`): what an
/// iPhone records by default, which Chrome on many computers and Firefox do not play.
pub(crate) fn is_hevc(codecs: &[[u8; 4]]) -> bool {
    codecs
        .iter()
        .any(|c| matches!(c, b"hvc1" | b"hev1" | b"dvh1" | b"dvhe"))
}

/// The container of a video file by its content: `Some("video/mp4")`, `Some("video/webm")`.
pub(crate) fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.get(4..8) == Some(b"ftyp") {
        Some("video/mp4")
    } else if bytes.starts_with(&[0x1a, 0x45, 0xdf, 0xa3]) {
        Some("video/webm")
    } else {
        None
    }
}

/// The WebVTT validator: the header, every cue's timing line (timestamps, order, end after
/// start), and at least one cue.
pub(crate) mod vtt {
    /// A problem at a 1-based line and column.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub(crate) struct Problem {
        pub line: usize,
        pub col: usize,
        pub message: String,
        pub help: String,
    }

    const TIMESTAMP_HELP: &str = "write times as minutes:seconds.milliseconds or hours:minutes:seconds.milliseconds, with three digits of milliseconds, e.g. `00:01.500` or `01:02:03.250`";

    /// A timestamp in milliseconds, or why not.
    fn timestamp(s: &str) -> Result<u64, String> {
        let bad = || format!("`{s}` is not a WebVTT time");
        let (hms, ms) = s.split_once('.').ok_or_else(bad)?;
        if ms.len() != 3 || !ms.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let parts: Vec<&str> = hms.split(':').collect();
        let num = |p: &str, two: bool| -> Option<u64> {
            let ok = if two {
                p.len() == 2
            } else {
                p.len() >= 2 && p.len() <= 6
            };
            (ok && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        };
        let (h, m, sec) = match parts.as_slice() {
            [m, sec] => (0, num(m, true), num(sec, true)),
            [h, m, sec] => (num(h, false).ok_or_else(bad)?, num(m, true), num(sec, true)),
            _ => return Err(bad()),
        };
        let (m, sec) = (m.ok_or_else(bad)?, sec.ok_or_else(bad)?);
        if m > 59 || sec > 59 {
            return Err(format!(
                "`{s}`: minutes and seconds go up to 59 in a WebVTT time"
            ));
        }
        let ms: u64 = ms.parse().map_err(|_| bad())?;
        Ok(((h * 60 + m) * 60 + sec) * 1000 + ms)
    }

    fn fmt_ms(ms: u64) -> String {
        format!(
            "{:02}:{:02}:{:02}.{:03}",
            ms / 3_600_000,
            ms / 60_000 % 60,
            ms / 1000 % 60,
            ms % 1000
        )
    }

    /// Column (1-based, in characters) of byte offset `at` in `line`.
    fn col(line: &str, at: usize) -> usize {
        line.get(..at).map(|s| s.chars().count()).unwrap_or(0) + 1
    }

    /// Check a WebVTT file: the number of cues, or every problem found.
    pub(crate) fn check(text: &str) -> Result<usize, Vec<Problem>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let lines: Vec<&str> = text.split('\n').collect();
        let mut problems = Vec::new();
        let p = |line: usize, col: usize, message: String, help: &str| Problem {
            line,
            col,
            message,
            help: help.to_string(),
        };
        let first = lines.first().copied().unwrap_or("");
        let header_ok = first
            .strip_prefix("WEBVTT")
            .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']));
        if !header_ok {
            return Err(vec![p(
                1,
                1,
                "not a WebVTT file: the first line must be `WEBVTT`".into(),
                "captions must be WebVTT (.vtt): start the file with a line `WEBVTT`, then a blank line, then the cues (an .srt file converts by changing the commas in its times to dots)",
            )]);
        }
        // Skip the header block.
        let mut i = 1;
        while i < lines.len() && !lines[i].trim().is_empty() {
            i += 1;
        }
        let (mut cues, mut last_start) = (0usize, 0u64);
        while i < lines.len() {
            if lines[i].trim().is_empty() {
                i += 1;
                continue;
            }
            let start = i;
            while i < lines.len() && !lines[i].trim().is_empty() {
                i += 1;
            }
            let block = &lines[start..i];
            let head = block.first().copied().unwrap_or("");
            let word = head.split([' ', '\t']).next().unwrap_or("");
            if !head.contains("-->") && matches!(word, "NOTE" | "STYLE" | "REGION") {
                continue;
            }
            let (t, timing) = match block.iter().position(|l| l.contains("-->")) {
                Some(t @ (0 | 1)) => (start + t, block[t]),
                _ => {
                    problems.push(p(
                        start + 1,
                        1,
                        "a cue without a timing line".into(),
                        "each cue is an optional name line, then `00:00:01.000 --> 00:00:04.000`, then its text, with a blank line between cues",
                    ));
                    continue;
                }
            };
            let line_no = t + 1;
            let Some(arrow) = timing.find("-->") else {
                continue;
            };
            let left = &timing[..arrow];
            let right = &timing[arrow + 3..];
            let l_at = left.len() - left.trim_start().len();
            let r_at = arrow + 3 + (right.len() - right.trim_start().len());
            let r_tok = right.split_whitespace().next().unwrap_or("");
            let mut times = Vec::new();
            for (tok, at) in [(left.trim(), l_at), (r_tok, r_at)] {
                match timestamp(tok) {
                    Ok(ms) => times.push(ms),
                    Err(m) => problems.push(p(line_no, col(timing, at), m, TIMESTAMP_HELP)),
                }
            }
            if let [a, b] = times[..] {
                if b <= a {
                    problems.push(p(
                        line_no,
                        col(timing, r_at),
                        format!("the cue ends at {} but starts at {}", fmt_ms(b), fmt_ms(a)),
                        "a cue must end after it starts",
                    ));
                } else if a < last_start {
                    problems.push(p(
                        line_no,
                        col(timing, l_at),
                        format!(
                            "the cue starts at {}, before the cue above it ({})",
                            fmt_ms(a),
                            fmt_ms(last_start)
                        ),
                        "put the cues in the order they are spoken",
                    ));
                }
                last_start = last_start.max(a);
            }
            cues += 1;
        }
        if cues == 0 && problems.is_empty() {
            problems.push(p(
                1,
                1,
                "the captions file has no cues".into(),
                "add the captions: `00:00:01.000 --> 00:00:04.000` then the words spoken, with a blank line between cues",
            ));
        }
        if problems.is_empty() {
            Ok(cues)
        } else {
            Err(problems)
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn good_files() {
            let ok = "WEBVTT - captions\n\nNOTE made by hand\n\n1\n00:00.000 --> 00:02.500 line:90%\nHello\n\n00:00:02.500 --> 00:00:04.000\nBye\n";
            assert_eq!(check(ok), Ok(2));
            assert_eq!(
                check("\u{feff}WEBVTT\r\n\r\n01:00:00.000 --> 01:00:01.000\r\nx\r\n"),
                Ok(1)
            );
        }

        #[test]
        fn bad_files() {
            let e = check("1\n00:00:01,000 --> 00:00:02,000\nSRT\n").unwrap_err();
            assert_eq!((e[0].line, e[0].col), (1, 1));
            assert!(e[0].help.contains(".srt"));
            let e =
                check("WEBVTT\n\n00:00:01.000 --> 00:00:02,000\nx\n\n00:61.000 --> 00:62.000\ny\n")
                    .unwrap_err();
            assert_eq!(e.len(), 3, "{e:?}");
            assert_eq!((e[0].line, e[0].col), (3, 18));
            assert!(e[0].message.contains("00:00:02,000"));
            assert_eq!((e[1].line, e[1].col), (6, 1));
            let e = check("WEBVTT\n\n00:05.000 --> 00:04.000\nx\n").unwrap_err();
            assert!(e[0].message.contains("ends at"), "{e:?}");
            let e = check("WEBVTT\n\n00:05.000 --> 00:06.000\nx\n\n00:01.000 --> 00:02.000\ny\n")
                .unwrap_err();
            assert_eq!(e[0].line, 6);
            let e = check("WEBVTT\n\nid\ntext without timing\n").unwrap_err();
            assert!(e[0].message.contains("timing"));
            assert!(
                check("WEBVTT\n").unwrap_err()[0]
                    .message
                    .contains("no cues")
            );
            assert!(check("WEBVTTX\n").is_err());
        }
    }
}

/// A static file by its site path (`/captions/x.vtt`), from the sorted statics.
fn static_src<'a>(statics: &'a Statics, site_path: &str) -> Option<&'a Src> {
    let rel = site_path.trim_start_matches('/');
    let i = statics
        .binary_search_by(|(k, _)| k.as_str().cmp(rel))
        .ok()?;
    statics.get(i).map(|(_, b)| b)
}

/// A ```` ```{video} ```` that plays an MP4 file of the site (`src: /files/clip.mp4`) that is
/// cut short (an error: QA s8 Q122) or HEVC (a warning: QA s7 Q110, an iPhone's default video,
/// which Chrome on many computers and Firefox cannot play), at its `src:` line, once per file and
/// document, as for a video page's `src`. A body's check: a body-only rebuild runs it for the
/// edited documents only (see `pipeline::media`).
pub(crate) fn mp4s_in_components(
    d: &Document,
    r: &crate::markdown::Rendered,
    statics: &Statics,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut warned = BTreeSet::new();
    let mut places: Option<Vec<_>> = None;
    for c in &r.calls {
        let (true, Ok(html), Some(s)) = (
            c.name == "video",
            &c.output,
            c.args.get("src").and_then(|v| v.as_str()),
        ) else {
            continue;
        };
        // A file the component plays (not a video page, which is warned at its own `src`).
        if !html.contains("<video") || !warned.insert(s) {
            continue;
        }
        let Some(src) = static_src(statics, s) else {
            continue;
        };
        if sniff(&src.prefix(16).unwrap_or_default()) != Some("video/mp4") {
            continue;
        }
        let found = match mp4_read(src) {
            Err(p) => Some(Diagnostic::error(&d.path, 0, 0, p.message(s)).with_help(p.help())),
            Ok(codecs) if is_hevc(&codecs) => Some(
                Diagnostic::warning(&d.path, 0, 0, format!("{s} is HEVC (H.265) video, which Chrome on many computers and Firefox cannot play"))
                    .with_help(HEVC_HELP),
            ),
            Ok(_) => None,
        };
        let Some(mut found) = found else {
            continue;
        };
        let places = places.get_or_insert_with(|| super::checks::component_lines(&d.whole_text()));
        (found.line, found.col) = places
            .iter()
            .find(|p| p.0 == "video" && p.1 == "src" && p.2 == s)
            .map_or((d.body_line, 1), |p| (p.3, p.4));
        out.push(found.with_source(&d.whole_text()));
    }
    out
}

/// Check a captions file's bytes: its number of cues, or every problem as a diagnostic at
/// `file` (line and column in the file, with the source line).
pub(crate) fn check_captions(
    bytes: &[u8],
    file: &std::path::Path,
) -> Result<usize, Vec<Diagnostic>> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(vec![
            Diagnostic::error(file, 1, 1, "the captions file is not UTF-8 text")
                .with_help("save the WebVTT file as UTF-8"),
        ]);
    };
    vtt::check(text).map_err(|ps| {
        // One line index for every problem of the file (QA Q135).
        let lines = crate::diagnostics::Lines::new(text);
        ps.into_iter()
            .map(|p| {
                Diagnostic::error(file, p.line, p.col, p.message)
                    .with_help(p.help)
                    .with_source_in(&lines)
            })
            .collect()
    })
}

/// The checks of every video document's fields: `src` and `embed` not both, `embed` a YouTube
/// or Vimeo address, `src` an MP4 or WebM file with `captions` (a warning without), `captions` a
/// valid WebVTT file (its problems reported at the captions file, each once). `file_of` gives
/// the file a static site path comes from. They read front matter alone, not bodies (those are
/// [`mp4s_in_components`]'s): a body-only rebuild keeps them.
pub(crate) fn check_fields(
    docs: &[std::sync::Arc<Document>],
    statics: &Statics,
    file_of: &dyn Fn(&str) -> std::path::PathBuf,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for d in docs {
        let Fields::Video(v) = &d.fields else {
            continue;
        };
        if v.src.is_some() && v.embed.is_some() {
            out.push(
                d.error_at("embed", "a video has `src` and `embed`: use one")
                    .with_help("`src:` is for a video file under static/ (`/videos/clip.mp4`), `embed:` for a YouTube or Vimeo address; remove the other"),
            );
        }
        if let Some(e) = &v.embed
            && let Some((message, help)) = bad_service_address(e)
        {
            out.push(d.error_at("embed", message).with_help(help));
        } else if let Some(e) = &v.embed
            && hosted(e).is_none()
        {
            out.push(
                d.error_at("embed", format!("`{e}` is not a YouTube or Vimeo video address"))
                    .with_help("write the video's address as you see it in the browser, e.g. `https://www.youtube.com/watch?v=…` or `https://vimeo.com/123456`; for a file of your own use `src: /videos/clip.mp4`"),
            );
        }
        if let Some(s) = &v.src
            // A translation playing its original's file: the original is told.
            && !d.inherits("src")
            && let Some(src) = static_src(statics, s)
        {
            match sniff(&src.prefix(16).unwrap_or_default()) {
                None => out.push(
                    d.error_at("src", format!("{s} is not an MP4 or WebM video"))
                        .with_help("export the video as MP4 (H.264 and AAC) or WebM, which every browser plays"),
                ),
                Some(m) if m != mime_of(s) => out.push(
                    d.error_at("src", format!("{s} is a {} file with another extension", m.trim_start_matches("video/").to_uppercase()))
                        .with_help(format!("rename it to end in .{}", m.trim_start_matches("video/")))
                ),
                Some("video/mp4") => match mp4_read(src) {
                    // QA s8 Q122: an upload cut short plays nowhere.
                    Err(p) => out.push(d.error_at("src", p.message(s)).with_help(p.help())),
                    // QA s7 Q110: an iPhone's default "High Efficiency" video plays in Safari only.
                    Ok(codecs) if is_hevc(&codecs) => out.push(
                        d.warning_at("src", format!("{s} is HEVC (H.265) video, which Chrome on many computers and Firefox cannot play"))
                            .with_help(HEVC_HELP),
                    ),
                    Ok(_) => {}
                },
                Some(_) => {}
            }
        }
        if let Some(src) = &v.src
            && v.captions.is_none()
            && v.embed.is_none()
            // A translation with its original's video: the original is warned.
            && !(d.inherits("src") && d.inherits("captions"))
        {
            out.push(
                d.warning_at("src", format!("the video {src} has no captions"))
                    .with_help("add `captions: /captions/clip.vtt` (a WebVTT file under static/): readers who cannot hear the sound need them, and the transcript does not replace them while the video plays"),
            );
        }
        if let Some(c) = &v.captions
            && let Some(src) = static_src(statics, c)
        {
            let file = file_of(c);
            let bytes = match src.read() {
                Ok(b) => b,
                Err(e) => {
                    out.push(d.error_at("captions", format!("{e:#}")));
                    continue;
                }
            };
            if seen.insert(c.clone())
                && let Err(ds) = check_captions(&bytes, &file)
            {
                out.push(
                    d.error_at(
                        "captions",
                        format!("{c} is not a valid WebVTT captions file (see the errors in it)"),
                    )
                    .with_help("fix the captions file; its errors are listed with their lines"),
                );
                out.extend(ds);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_addresses() {
        let h = hosted("https://www.youtube.com/watch?v=abc_D-12345&t=3").unwrap();
        assert_eq!((h.provider, h.id.as_str()), ("youtube", "abc_D-12345"));
        assert!(
            h.player_url()
                .starts_with("https://www.youtube-nocookie.com/embed/abc_D-12345")
        );
        assert_eq!(
            hosted("https://youtu.be/xyz_9876543").unwrap().id,
            "xyz_9876543"
        );
        // QA s5 Q48: an id that is not 11 letters, digits, `-` or `_` is refused, with help.
        for bad in [
            "https://www.youtube.com/watch?v=short",
            "https://youtu.be/dQw4w9WgXcQx",
            "https://www.youtube.com/embed/dQw4w9WgXc!",
            "https://www.youtube.com/watch?v=",
            "https://www.youtube.com/shorts/abcDEF_123",
        ] {
            assert_eq!(hosted(bad), None, "{bad}");
            let (m, help) = bad_youtube_id(bad).unwrap();
            assert!(m.starts_with(bad) && m.contains("id"), "{m}");
            assert!(help.contains("copy the address"), "{help}");
        }
        assert!(
            bad_youtube_id("https://www.youtube.com/watch?v=short")
                .unwrap()
                .0
                .ends_with(
                    "`short` is not a YouTube video id: an id is 11 characters, this one has 5"
                )
        );
        assert_eq!(bad_youtube_id("https://youtu.be/dQw4w9WgXcQ?t=4"), None);
        assert_eq!(bad_youtube_id("https://vimeo.com/12345"), None);
        let v = hosted("https://vimeo.com/12345").unwrap();
        assert_eq!(
            v.player_url(),
            "https://player.vimeo.com/video/12345?dnt=1&autoplay=1"
        );
        assert_eq!(hosted("https://vimeo.com/about"), None);
        // QA s5 Q48: start times, unlisted Vimeo videos, live and channel addresses.
        let t = hosted("https://youtu.be/dQw4w9WgXcQ?t=42").unwrap();
        assert_eq!(t.start, Some(42));
        assert!(
            t.player_url()
                .ends_with("embed/dQw4w9WgXcQ?autoplay=1&rel=0&start=42")
        );
        assert_eq!(
            t.watch_url(),
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s"
        );
        let t = hosted("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1m30s").unwrap();
        assert_eq!((t.id.as_str(), t.start), ("dQw4w9WgXcQ", Some(90)));
        assert_eq!(
            hosted("https://www.youtube.com/live/dQw4w9WgXcQ")
                .unwrap()
                .id,
            "dQw4w9WgXcQ"
        );
        let u = hosted("https://vimeo.com/76979871/abc123def4").unwrap();
        assert_eq!(u.hash.as_deref(), Some("abc123def4"));
        assert_eq!(
            u.player_url(),
            "https://player.vimeo.com/video/76979871?h=abc123def4&dnt=1&autoplay=1"
        );
        assert_eq!(u.watch_url(), "https://vimeo.com/76979871/abc123def4");
        let u = hosted("https://player.vimeo.com/video/76979871?h=abc123#t=1m5s").unwrap();
        assert_eq!((u.hash.as_deref(), u.start), (Some("abc123"), Some(65)));
        assert!(u.player_url().ends_with("?h=abc123&dnt=1&autoplay=1#t=65s"));
        assert_eq!(
            hosted("https://vimeo.com/channels/staffpicks/76979871")
                .unwrap()
                .id,
            "76979871"
        );
        assert_eq!(hosted("https://vimeo.com/123/evil\"x"), None);
        // A video inside a showcase (or an album, its former name); the owner's page of it.
        for url in [
            "https://vimeo.com/showcase/11223344/video/76979871",
            "https://vimeo.com/album/2233445/video/76979871?share=copy",
            "https://vimeo.com/manage/videos/76979871",
        ] {
            let v = hosted(url).unwrap_or_else(|| panic!("{url}"));
            assert_eq!((v.provider, v.id.as_str()), ("vimeo", "76979871"), "{url}");
            assert_eq!(bad_service_address(url), None);
        }
        // A showcase, a channel or a person's page names no video: refused with help.
        for (url, what) in [
            ("https://vimeo.com/showcase/11223344", "showcase"),
            ("https://vimeo.com/showcase/11223344/embed", "showcase"),
            ("https://vimeo.com/channels/staffpicks", "channel"),
            ("https://vimeo.com/kaiserpermanente", "a Vimeo page"),
        ] {
            assert_eq!(hosted(url), None, "{url}");
            let (m, h) = bad_service_address(url).unwrap_or_else(|| panic!("{url}"));
            assert!(m.starts_with(url) && m.contains(what), "{m}");
            assert!(h.contains("/video/123456789"), "{h}");
        }
        // A YouTube playlist or channel: refused with what it is (it was "not a YouTube or
        // Vimeo address").
        for (url, what) in [
            ("https://www.youtube.com/playlist?list=PLabc", "playlist"),
            ("https://m.youtube.com/@KaiserPermanente", "channel"),
            ("https://www.youtube.com/channel/UC123/videos", "channel"),
        ] {
            assert_eq!(hosted(url), None, "{url}");
            let (m, h) = bad_service_address(url).unwrap_or_else(|| panic!("{url}"));
            assert!(m.starts_with(url) && m.contains(what), "{m}");
            assert!(h.contains("watch?v="), "{h}");
        }
        assert_eq!(
            hosted("https://www.youtube.com/watch?v=dQw4w9WgXcQ&list=PLabc").map(|h| h.id),
            Some("dQw4w9WgXcQ".to_string())
        );
        assert_eq!(bad_service_address("https://example.org/x"), None);
        assert_eq!(hosted("https://example.org/v.mp4"), None);
        assert!(crate::util::is_service_url(
            "https://m.youtube.com/whatever"
        ));
        assert!(!crate::util::is_service_url("https://notyoutube.com/"));
    }

    #[test]
    fn containers() {
        assert_eq!(sniff(b"\0\0\0\x20ftypisom"), Some("video/mp4"));
        assert_eq!(sniff(&[0x1a, 0x45, 0xdf, 0xa3, 1]), Some("video/webm"));
        assert_eq!(sniff(b"%PDF-1.4"), None);
    }

    /// An MP4 as a phone writes it: `ftyp`, the media data, then `moov` with one video and one
    /// audio track (boxes nested as in a real file; only the sample entries matter here).
    pub(crate) fn mp4(video: &[u8; 4]) -> Vec<u8> {
        fn boxed(kind: &[u8], body: &[u8]) -> Vec<u8> {
            let mut b = ((body.len() + 8) as u32).to_be_bytes().to_vec();
            b.extend(kind);
            b.extend(body);
            b
        }
        let stsd = |code: &[u8; 4]| {
            let mut body = vec![0, 0, 0, 0, 0, 0, 0, 1];
            body.extend(boxed(code, &[0; 78]));
            boxed(b"stsd", &body)
        };
        let trak = |code: &[u8; 4]| {
            boxed(
                b"trak",
                &boxed(b"mdia", &boxed(b"minf", &boxed(b"stbl", &stsd(code)))),
            )
        };
        let mut out = boxed(b"ftyp", b"isom\0\0\x02\0isomiso2");
        out.extend(boxed(b"mdat", &[7; 5000]));
        let mut moov = boxed(b"mvhd", &[0; 100]);
        moov.extend(trak(video));
        moov.extend(trak(b"mp4a"));
        out.extend(boxed(b"moov", &moov));
        out
    }

    #[test]
    fn an_mp4s_codecs_are_read_from_its_moov_box() {
        let src = |b: Vec<u8>| crate::media::Src::Mem(std::sync::Arc::new(b));
        let hevc = mp4_read(&src(mp4(b"hvc1"))).unwrap();
        assert_eq!(hevc, vec![*b"hvc1", *b"mp4a"]);
        assert!(is_hevc(&hevc));
        let h264 = mp4_read(&src(mp4(b"avc1"))).unwrap();
        assert_eq!(h264, vec![*b"avc1", *b"mp4a"]);
        assert!(!is_hevc(&h264));
        let mut huge = b"\0\0\0\x01mdat".to_vec();
        huge.extend(u64::MAX.to_be_bytes());
        assert!(matches!(
            mp4_read(&src(huge)),
            Err(Mp4Problem::Cut { len: 16, .. })
        ));
    }

    /// QA s8 Q122: every cut of a phone's MP4 (media data first, the `moov` index last) is
    /// found from the box sizes alone: inside a box it is cut short by the size the boxes
    /// declare; at a box boundary before `moov` it has no index. A file whose media data runs
    /// "to the end" (size 0, as a recording that stopped writes it) has no index either.
    #[test]
    fn an_mp4_cut_anywhere_is_found_from_its_boxes() {
        let src = |b: &[u8]| crate::media::Src::Mem(std::sync::Arc::new(b.to_vec()));
        let whole = mp4(b"avc1");
        let total = whole.len() as u64;
        let ftyp = 24;
        // After `ftyp` and the 5,000 bytes of media data with their header.
        let moov_at = ftyp + 5008;
        for cut in 0..whole.len() {
            let got = mp4_read(&src(&whole[..cut]));
            match cut {
                // Not even the first box's header: not judged as an MP4 here (sniffing
                // refuses it first).
                0 => assert_eq!(got, Err(Mp4Problem::NoMoov), "cut at 0"),
                c if c == ftyp || c == moov_at => {
                    assert_eq!(got, Err(Mp4Problem::NoMoov), "cut at {c}")
                }
                c => {
                    let Err(Mp4Problem::Cut { len, declared }) = got else {
                        panic!("cut at {c}: {got:?}")
                    };
                    assert_eq!(len, c as u64);
                    assert!(
                        declared > len && declared <= total,
                        "cut at {c}: {declared}"
                    );
                }
            }
        }
        assert_eq!(mp4_read(&src(&whole)), Ok(vec![*b"avc1", *b"mp4a"]));
        let mut open_ended = whole[..ftyp].to_vec();
        open_ended.extend(b"\0\0\0\0mdat");
        open_ended.extend([7; 100]);
        assert_eq!(mp4_read(&src(&open_ended)), Err(Mp4Problem::NoMoov));
        // The messages say what is wrong and what to do, in sizes people read.
        let p = Mp4Problem::Cut {
            len: 1_200_000,
            declared: 3_000_032,
        };
        assert_eq!(
            p.message("/videos/x.mp4"),
            "/videos/x.mp4 is cut short (1.2 MB of the 3.0 MB the file says it has): no browser can play it"
        );
        assert!(p.help().contains("copy it again"));
        assert!(Mp4Problem::NoMoov.help().contains("export the video again"));
    }
}
