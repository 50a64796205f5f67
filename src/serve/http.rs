//! HTTP for `lmp serve` (the only module naming `tiny_http`): maps request paths to the files of
//! the last good build, with `index.html` for folders, a redirect to the trailing slash,
//! the site's 404 page, Content-Types, and the live-reload endpoints under `/__lmp/`. A request
//! path is decoded segment by segment and refused (400) when it tries to leave the site: `..`,
//! `.`, encoded slashes or backslashes, NUL bytes, invalid percent escapes. Files come only from
//! the last build's output, so nothing outside it can ever be served: its pages from the scratch
//! file they were written to (see `crate::fsx::spill::Held`), and its static files and cached
//! images from disk (the file each output path was built from, opened per request and sent in
//! pieces: a 300 MB video is never held in memory, QA Q29).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::server::{Body, Request, Response};
use super::state::{Shared, Site};

/// The live-reload and overlay script, served at `/__lmp/live.js`.
const LIVE_JS: &str = include_str!("live.js");
/// How long a long-poll waits for a new generation before answering anyway.
const POLL_TIMEOUT: Duration = Duration::from_secs(20);
/// Long-polls waiting the full [`POLL_TIMEOUT`] at once (each holds a connection thread); beyond
/// this they wait one second only.
const MAX_POLLS: usize = 6;

/// What the workers need to answer requests.
pub(crate) struct Ctx {
    pub shared: Arc<Shared>,
    pub polls: AtomicUsize,
    /// Wakes the builder (an empty batch of changed paths) when a file of the output is gone
    /// from disk (see [`Shared::report_gone`]).
    pub wake: std::sync::mpsc::Sender<Vec<PathBuf>>,
    /// Listening on a loopback address only: requests must be addressed to this machine (see
    /// [`local_host`]).
    pub loopback: bool,
    /// `http://127.0.0.1:PORT`, for messages.
    pub origin: String,
}

fn text(status: u16, body: &str) -> Response {
    Response::text(status, body)
}

/// Percent-encode every byte of `s` that may not stand as is in a header value or a URL:
/// controls, spaces, `%` not starting an escape, and non-ASCII. Applied to every URL put in a
/// `Location` header, whatever its origin.
pub(crate) fn encode_url(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in b.iter().enumerate() {
        let escape_start = c == b'%'
            && b.get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
        if c.is_ascii_graphic() && (c != b'%' || escape_start) {
            out.push(char::from(c));
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
    }
    out
}

/// Answer one request.
pub(crate) fn handle(req: &Request, ctx: &Ctx) -> Response {
    if ctx.loopback && req.host.as_deref().is_some_and(|h| !local_host(h)) {
        return text(
            403,
            &format!(
                "lmp serve answers only requests addressed to this machine: open the preview at \
                 {}/ (or localhost). A request addressed to another name may come from a web \
                 page of another site trying to read the preview (DNS rebinding). To preview \
                 under another name, pass --bind with this machine's network address.\n",
                ctx.origin
            ),
        );
    }
    if !matches!(req.method.as_str(), "GET" | "HEAD") {
        return text(405, "lmp serve only answers GET and HEAD\n").header("Allow", "GET, HEAD");
    }
    let raw = req.target.as_str();
    let (path, query) = match raw.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (raw, None),
    };
    let path = strip_authority(path);
    match path {
        "/__lmp/live.js" => {
            return Response::new(200, Body::Static(LIVE_JS.as_bytes()))
                .header("Content-Type", "text/javascript; charset=utf-8")
                .header("Cache-Control", "no-store");
        }
        "/__lmp/status" => {
            let st = ctx.shared.status();
            return json(ctx.shared.status_json(&st));
        }
        "/__lmp/poll" => return poll(req, query, ctx),
        _ => {}
    }
    let site = ctx.shared.site();
    match resolve(&site, path) {
        Resolved::Bad => text(400, "bad request path\n"),
        Resolved::Redirect(to) => {
            let to = match query {
                Some(q) => format!("{to}?{q}"),
                None => to,
            };
            let to = encode_url(&to);
            text(301, &format!("moved to {to}\n")).header("Location", to)
        }
        Resolved::NotBuilt => html(503, placeholder(), &site, ctx),
        Resolved::File(key) => file(200, &key, &site, ctx, req.range.as_deref()),
        Resolved::NotFound => match not_found_page(&site, path) {
            Some(key) => file(404, &key, &site, ctx, None),
            None => text(404, "not found\n"),
        },
    }
}

fn json(body: String) -> Response {
    Response::new(200, Body::Owned(body.into_bytes()))
        .header("Content-Type", "application/json")
        .header("Cache-Control", "no-store")
}

/// `/__lmp/poll?gen=N`: answered when the generation is no longer N, or after a timeout.
fn poll(req: &Request, query: Option<&str>, ctx: &Ctx) -> Response {
    let since = query
        .unwrap_or("")
        .split('&')
        .find_map(|kv| kv.strip_prefix("gen="))
        .and_then(|v| v.parse::<u64>().ok());
    let Some(since) = since else {
        let st = ctx.shared.status();
        return json(ctx.shared.status_json(&st));
    };
    let busy = ctx.polls.fetch_add(1, Ordering::SeqCst) >= MAX_POLLS;
    let st = if busy {
        // Beyond MAX_POLLS a poll waits a second at most, and not at all while another
        // connection waits for a thread; its connection then closes, so that 200 live-reload
        // clients take turns with the pages instead of holding every thread.
        let deadline = std::time::Instant::now() + Duration::from_secs(1);
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let st = ctx
                .shared
                .wait_change(since, left.min(Duration::from_millis(20)));
            if st.generation != since || left.is_zero() || req.waiting.any() {
                break st;
            }
        }
    } else {
        ctx.shared.wait_change(since, POLL_TIMEOUT)
    };
    ctx.polls.fetch_sub(1, Ordering::SeqCst);
    let r = json(ctx.shared.status_json(&st));
    if busy { r.closing() } else { r }
}

/// A file of the site; HTML gets the live-reload script. Other files answer a single-range
/// `Range: bytes=…` request with `206` and that part (Safari and iOS play a video only from a
/// server that does), `416` when the range starts past the end; several ranges, or a header
/// that does not parse, get the whole file (`200`), as HTTP allows.
fn file(status: u16, key: &str, site: &Arc<Site>, ctx: &Ctx, range: Option<&str>) -> Response {
    let ctype = content_type(key);
    let range = range.filter(|_| status == 200);
    if let Some(d) = site.disk.get(key) {
        if ctype.starts_with("text/html") {
            // A page kept on disk (see `crate::fsx::spill::Held`): read to add the script.
            return match d.read() {
                Ok(bytes) => html(status, &bytes, site, ctx),
                Err(e) => {
                    log::warn!("{e:#} (serving /{key})");
                    text(500, "could not read the page (see the terminal)\n")
                }
            };
        }
        // Opened now: its size is the file's as it is sent.
        let (f, at, len) = match d.open() {
            Ok(x) => x,
            // Hostile author s22: a file of the site lmp may not read (`chmod 600`, a file
            // copied from another user's folder) was answered 503 "being made again", which
            // it never is: 403, and the terminal says which file and how to let lmp read it.
            Err(e) => {
                if let Some(r) = not_allowed(&e, key, &d.path) {
                    return r;
                }
                // QA s7 Q106: the image cache deleted while serving (the README says to delete
                // it to reclaim space): the builder makes what is missing again and the pages
                // reload; meanwhile this file is "being made".
                if ctx.shared.report_gone() {
                    log::warn!("{e:#} (serving /{key}): making the missing files again");
                    let _ = ctx.wake.send(Vec::new());
                }
                return text(
                    503,
                    "this file is gone from disk and is being made again: reload in a moment\n",
                )
                .header("Retry-After", "1");
            }
        };
        let len = usize::try_from(len).unwrap_or(usize::MAX);
        let keep = d.held.is_some().then(|| d.clone());
        let body = |start: usize, end: usize| {
            Body::File(f.clone(), at + start as u64, at + end as u64, keep.clone())
        };
        return ranged(status, ctype, len, range, body);
    }
    let Some(bytes) = site.files.get(key) else {
        return text(404, "not found\n");
    };
    if ctype.starts_with("text/html") {
        return html(status, bytes, site, ctx);
    }
    let body = |start: usize, end: usize| {
        if (start, end) == (0, bytes.len()) {
            Body::Shared(bytes.clone())
        } else {
            Body::Part(bytes.clone(), start, end)
        }
    };
    ranged(status, ctype, bytes.len(), range, body)
}

/// The answer when `e`, from opening the file at `path` for `/key`, is the system refusing to
/// let lmp read it (`chmod 600`, a file copied from another user's folder): 403, and the
/// terminal says which file and how to let lmp read it. Hostile author s22: it was 503 "this
/// file is gone from disk and is being made again", which it never is. `None` for any other
/// error.
fn not_allowed(e: &anyhow::Error, key: &str, path: &std::path::Path) -> Option<Response> {
    let denied = e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::PermissionDenied)
    });
    if !denied {
        return None;
    }
    let path = crate::diagnostics::display_path(path);
    log::warn!(
        "cannot read {path} (permission denied), so /{key} cannot be shown: let lmp read it (`chmod a+r {path}`; on Windows, the file's Properties > Security), then reload the page"
    );
    Some(text(
        403,
        "lmp is not allowed to read this file: its permissions do not let it (the terminal running lmp serve says which file and how to fix it)\n",
    ))
}

/// The answer for a file of `len` bytes and a `Range` header: `body(start, end)` for the whole
/// file or the part asked for.
fn ranged(
    status: u16,
    ctype: &str,
    len: usize,
    range: Option<&str>,
    body: impl Fn(usize, usize) -> Body,
) -> Response {
    let (status, part) = match range.map(|r| byte_range(r, len)) {
        Some(Range::Part(start, end)) => (206, Some((start, end))),
        Some(Range::Unsatisfiable) => {
            return text(416, "range not satisfiable\n")
                .header("Content-Range", format!("bytes */{len}"))
                .header("Accept-Ranges", "bytes");
        }
        Some(Range::Whole) | None => (status, None),
    };
    let (start, end) = part.unwrap_or((0, len));
    let mut r = Response::new(status, body(start, end))
        .header("Content-Type", ctype)
        .header("Cache-Control", "no-cache")
        .header("Accept-Ranges", "bytes");
    if part.is_some() {
        let range = format!("bytes {start}-{}/{len}", end.saturating_sub(1));
        r = r.header("Content-Range", range);
    }
    r
}

/// What a `Range` header asks of a file of `len` bytes.
#[derive(Debug, PartialEq, Eq)]
enum Range {
    /// Bytes `start..end` (end exclusive, never past the file).
    Part(usize, usize),
    /// The whole file: several ranges, another unit, or a header that does not parse.
    Whole,
    /// A range that starts past the end (or an empty file's suffix).
    Unsatisfiable,
}

fn byte_range(header: &str, len: usize) -> Range {
    let Some(spec) = header.trim().strip_prefix("bytes=") else {
        return Range::Whole;
    };
    if spec.contains(',') {
        return Range::Whole;
    }
    let Some((a, b)) = spec.trim().split_once('-') else {
        return Range::Whole;
    };
    let num = |s: &str| -> Option<usize> {
        let s = s.trim();
        // Digits beyond any file size count as "past the end".
        (!s.is_empty() && s.bytes().all(|c| c.is_ascii_digit())).then(|| {
            s.parse::<u64>()
                .ok()
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(usize::MAX)
        })
    };
    match (a.trim().is_empty(), num(a), num(b)) {
        // `bytes=-N`: the last N bytes.
        (true, _, Some(n)) => {
            if n == 0 || len == 0 {
                Range::Unsatisfiable
            } else {
                Range::Part(len.saturating_sub(n), len)
            }
        }
        (false, Some(start), end) if b.trim().is_empty() || end.is_some() => {
            if start >= len {
                return Range::Unsatisfiable;
            }
            match end {
                Some(e) if e < start => Range::Whole,
                Some(e) => Range::Part(start, e.saturating_add(1).min(len)),
                None => Range::Part(start, len),
            }
        }
        _ => Range::Whole,
    }
}

fn html(status: u16, bytes: &[u8], site: &Site, ctx: &Ctx) -> Response {
    let snippet = format!(
        "<script async src=\"/__lmp/live.js\" data-lmp-gen=\"{}\" data-lmp-id=\"{}\"></script>\n",
        site.generation, ctx.shared.instance
    );
    Response::new(status, Body::Owned(inject(bytes, &snippet)))
        .header("Content-Type", "text/html; charset=utf-8")
        .header("Cache-Control", "no-cache")
}

fn placeholder() -> &'static [u8] {
    b"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>lmp serve: the site could not be built</title></head>\n<body><h1>The site could not be built</h1>\n<p>Fix the errors shown here and in the terminal; this page reloads by itself when the build succeeds.</p>\n</body></html>\n"
}

/// Insert `snippet` before the last `</body>` (any case), or at the end.
pub(crate) fn inject(html: &[u8], snippet: &str) -> Vec<u8> {
    let needle = b"</body>";
    let at = html
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    let (before, after) = html.split_at(at);
    out.extend_from_slice(before);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(after);
    out
}

/// Whether a `Host` header may name this machine: an IP address, `localhost`, a name under
/// `.localhost`, a name of one label (`mybox`, from the hosts file; no public DNS name has one
/// label), each with or without a port, or nothing. A server on loopback is reached only from
/// this machine, but a web page of another site can still send it requests addressed to that
/// site's DNS name once the name resolves to 127.0.0.1 (DNS rebinding), and then read the
/// answers (drafts included): requests addressed to such a name are refused.
pub(crate) fn local_host(host: &str) -> bool {
    let h = host.trim();
    if h.is_empty() {
        return true;
    }
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if let Some(rest) = h.strip_prefix('[') {
        return match rest.split_once(']') {
            Some((ip, port)) if port.is_empty() || port.strip_prefix(':').is_some_and(digits) => {
                ip.parse::<std::net::Ipv6Addr>().is_ok()
            }
            _ => false,
        };
    }
    let name = match h.rsplit_once(':') {
        Some((name, port)) if digits(port) => name,
        Some(_) => return false,
        None => h,
    };
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    name.parse::<std::net::Ipv4Addr>().is_ok()
        || !name.contains('.')
        || name.ends_with(".localhost")
}

/// An absolute-form request target (`http://host/path`) → its path.
fn strip_authority(p: &str) -> &str {
    for scheme in ["http://", "https://"] {
        let head = p.get(..scheme.len());
        if head.is_some_and(|h| h.eq_ignore_ascii_case(scheme)) {
            let rest = p.get(scheme.len()..).unwrap_or_default();
            return rest.find('/').and_then(|i| rest.get(i..)).unwrap_or("/");
        }
    }
    p
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Resolved {
    File(String),
    Redirect(String),
    NotFound,
    NotBuilt,
    Bad,
}

/// Decode a request path into clean segments; `None` when it is malformed or tries to escape.
pub(crate) fn segments(path: &str) -> Option<Vec<String>> {
    if !path.starts_with('/') || path.contains('\\') || path.contains('\0') {
        return None;
    }
    let mut out = Vec::new();
    for raw in path.split('/') {
        if raw.is_empty() {
            continue;
        }
        let seg = crate::escape::percent_decode_strict(raw)?;
        if seg == "."
            || seg == ".."
            || seg.contains(['/', '\\', '\0'])
            || seg.chars().any(char::is_control)
        {
            return None;
        }
        out.push(seg);
    }
    Some(out)
}

/// The 404 page for a path that is not found: the one of the folder it starts with, when that
/// folder has one (`es/404.html` for `/es/no-such/`, in Spanish: QA Q16), else the site's.
fn not_found_page(site: &Site, path: &str) -> Option<String> {
    let segs = segments(path).unwrap_or_default();
    let base = segments(&site.base_path).unwrap_or_default();
    if let Some(first) = segs.strip_prefix(base.as_slice()).and_then(|r| r.first()) {
        let key = format!("{first}/404.html");
        if site.files.contains_key(&key) {
            return Some(key);
        }
    }
    site.files
        .contains_key("404.html")
        .then(|| "404.html".to_string())
}

/// Map a request path to a file of the site.
pub(crate) fn resolve(site: &Site, path: &str) -> Resolved {
    let Some(segs) = segments(path) else {
        return Resolved::Bad;
    };
    if !site.is_built() {
        return Resolved::NotBuilt;
    }
    // The base path is percent-encoded (config.rs); request segments are compared decoded.
    let base = segments(&site.base_path).unwrap_or_default();
    let Some(rest) = segs.strip_prefix(base.as_slice()) else {
        if segs.is_empty() {
            return Resolved::Redirect(site.base_path.clone());
        }
        return Resolved::NotFound;
    };
    let rel = rest.join("/");
    if rel.is_empty() && !path.ends_with('/') {
        return Resolved::Redirect(with_slash(path));
    }
    let dir_like = path.ends_with('/');
    if dir_like {
        let key = if rel.is_empty() {
            "index.html".to_string()
        } else {
            format!("{rel}/index.html")
        };
        return match site.files.contains_key(&key) {
            true => Resolved::File(key),
            false => Resolved::NotFound,
        };
    }
    if site.files.contains_key(&rel) {
        return Resolved::File(rel);
    }
    if site.files.contains_key(&format!("{rel}/index.html")) {
        return Resolved::Redirect(with_slash(path));
    }
    Resolved::NotFound
}

/// `path` with a trailing slash and every run of slashes made one: the redirect of a folder
/// asked for without its slash. `//stories` must not become `//stories/`, which a browser reads
/// as the address of another site (the host `stories`): an open redirect.
fn with_slash(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 1);
    for c in path.chars().chain(['/']) {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    out
}

/// The Content-Type of an output file, by extension.
pub(crate) fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml",
        "rss" => "application/rss+xml",
        "atom" => "application/atom+xml",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "vtt" => "text/vtt; charset=utf-8",
        "srt" => "application/x-subrip",
        "pdf" => "application/pdf",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "mp4" | "m4v" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "wasm" => "application/wasm",
        "zip" => "application/zip",
        "gz" => "application/gzip",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt" => "application/vnd.ms-powerpoint",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::{Range, byte_range};

    /// Hostile author s22: a file lmp may not read is 403 (it was 503 "being made again");
    /// any other error to open it is not answered here.
    #[test]
    fn a_file_lmp_may_not_read_is_not_said_to_be_made_again() {
        let denied =
            anyhow::Error::from(std::io::Error::from(std::io::ErrorKind::PermissionDenied))
                .context("could not open site/static/files/x.pdf");
        let path = std::path::Path::new("site/static/files/x.pdf");
        let r = super::not_allowed(&denied, "files/x.pdf", path).expect("an answer");
        assert_eq!(r.status, 403);
        let gone = anyhow::Error::from(std::io::Error::from(std::io::ErrorKind::NotFound));
        assert!(super::not_allowed(&gone, "files/x.pdf", path).is_none());
    }

    #[test]
    fn byte_ranges() {
        assert_eq!(byte_range("bytes=0-1", 10), Range::Part(0, 2));
        assert_eq!(byte_range("bytes=4-", 10), Range::Part(4, 10));
        assert_eq!(byte_range("bytes=-3", 10), Range::Part(7, 10));
        assert_eq!(byte_range("bytes=-30", 10), Range::Part(0, 10));
        assert_eq!(byte_range("bytes=8-99", 10), Range::Part(8, 10));
        assert_eq!(byte_range("bytes=10-", 10), Range::Unsatisfiable);
        assert_eq!(byte_range("bytes=-0", 10), Range::Unsatisfiable);
        assert_eq!(byte_range("bytes=0-1,4-5", 10), Range::Whole);
        assert_eq!(byte_range("bytes=5-2", 10), Range::Whole);
        assert_eq!(byte_range("items=0-1", 10), Range::Whole);
        assert_eq!(byte_range("bytes=x-1", 10), Range::Whole);
        assert_eq!(
            byte_range("bytes=99999999999999999999999-", 10),
            Range::Unsatisfiable
        );
    }

    use super::*;

    fn site(base: &str) -> Site {
        let files = [
            "index.html",
            "404.html",
            "stories/x/index.html",
            "css/lmp.css",
            "a b.txt",
        ]
        .iter()
        .map(|k| (k.to_string(), std::sync::Arc::new(Vec::new())))
        .collect();
        Site {
            files,
            base_path: base.into(),
            generation: 1,
            ..Site::default()
        }
    }

    #[test]
    fn resolves_paths() {
        let s = site("/");
        let f = |k: &str| Resolved::File(k.into());
        assert_eq!(resolve(&s, "/"), f("index.html"));
        assert_eq!(resolve(&s, "/stories/x/"), f("stories/x/index.html"));
        assert_eq!(
            resolve(&s, "/stories/x"),
            Resolved::Redirect("/stories/x/".into())
        );
        assert_eq!(
            resolve(&s, "/stories/x/index.html"),
            f("stories/x/index.html")
        );
        assert_eq!(resolve(&s, "/css/lmp.css"), f("css/lmp.css"));
        assert_eq!(resolve(&s, "/a%20b.txt"), f("a b.txt"));
        assert_eq!(resolve(&s, "/nope"), Resolved::NotFound);
        assert_eq!(resolve(&s, "/stories/"), Resolved::NotFound);
        assert_eq!(resolve(&s, "//css//lmp.css"), f("css/lmp.css"));
    }

    #[test]
    fn resolves_under_a_sub_path() {
        let s = site("/lmp/");
        assert_eq!(resolve(&s, "/"), Resolved::Redirect("/lmp/".into()));
        assert_eq!(resolve(&s, "/lmp/"), Resolved::File("index.html".into()));
        assert_eq!(resolve(&s, "/lmp"), Resolved::Redirect("/lmp/".into()));
        assert_eq!(
            resolve(&s, "/lmp/css/lmp.css"),
            Resolved::File("css/lmp.css".into())
        );
        assert_eq!(resolve(&s, "/css/lmp.css"), Resolved::NotFound);
    }

    #[test]
    fn refuses_escapes() {
        let s = site("/");
        for p in [
            "/../etc/passwd",
            "/stories/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2e%2e/etc/passwd",
            "/..%2fetc%2fpasswd",
            "/stories%2f..%2f..%2fetc",
            "/..\\etc\\passwd",
            "/%5c..%5cetc",
            "/x%00.html",
            "/x\0",
            "/%zz",
            "/%",
            "/%ff%fe",
            "etc/passwd",
            "/./index.html",
            "/%2e/index.html",
        ] {
            assert_eq!(resolve(&s, p), Resolved::Bad, "{p}");
        }
        assert_eq!(strip_authority("http://evil/../x"), "/../x");
        assert_eq!(strip_authority("HTTP://evil"), "/");
        assert_eq!(resolve(&s, "/etc/passwd"), Resolved::NotFound);
    }

    #[test]
    fn local_hosts() {
        for h in [
            "127.0.0.1",
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST",
            "localhost.:80",
            "app.localhost:1111",
            "[::1]:1111",
            "[::1]",
            "192.168.1.5:1111",
            "mybox:1111",
            "x",
            "",
        ] {
            assert!(local_host(h), "{h}");
        }
        for h in [
            "evil.example:1111",
            "evil.example",
            "localhost.evil.example",
            "127.0.0.1.nip.io:1111",
            "[::1]x",
            "[evil]:80",
            "localhost:x",
            "evil.example.:1111",
            "localhost.evil.example:1111",
        ] {
            assert!(!local_host(h), "{h}");
        }
    }

    #[test]
    fn a_folder_redirect_never_leaves_the_site() {
        let s = site("/");
        assert_eq!(
            resolve(&s, "//stories/x"),
            Resolved::Redirect("/stories/x/".into())
        );
        assert_eq!(
            resolve(&s, "/stories//x"),
            Resolved::Redirect("/stories/x/".into())
        );
        let s = site("/lmp/");
        assert_eq!(resolve(&s, "//lmp"), Resolved::Redirect("/lmp/".into()));
    }

    #[test]
    fn injects_before_the_last_body() {
        assert_eq!(
            inject(b"<p></body></BODY>", "S"),
            b"<p></body>S</BODY>".to_vec()
        );
        assert_eq!(inject(b"<p>", "S"), b"<p>S".to_vec());
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/b.CSS"), "text/css; charset=utf-8");
        assert_eq!(content_type("feed.xml"), "application/xml");
        assert_eq!(content_type("x.pdf"), "application/pdf");
        assert_eq!(content_type("README"), "application/octet-stream");
    }
}
