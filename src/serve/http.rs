//! HTTP for `lmp serve` (the only module naming `tiny_http`): maps request paths to the files of
//! the last good build in memory, with `index.html` for folders, a redirect to the trailing slash,
//! the site's 404 page, Content-Types, and the live-reload endpoints under `/__lmp/`. A request
//! path is decoded segment by segment and refused (400) when it tries to leave the site: `..`,
//! `.`, encoded slashes or backslashes, NUL bytes, invalid percent escapes. Files come only from
//! the in-memory output, so nothing outside it can ever be served.

use std::io::{Cursor, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, ResponseBox, StatusCode};

use super::state::{Shared, Site};

/// The live-reload and overlay script, served at `/__lmp/live.js`.
const LIVE_JS: &str = include_str!("live.js");
/// How long a long-poll waits for a new generation before answering anyway.
const POLL_TIMEOUT: Duration = Duration::from_secs(20);
/// Long-polls waiting at once, each on its own thread; beyond this they are answered at once.
const MAX_POLLS: usize = 128;

/// What the workers need to answer requests.
pub(crate) struct Ctx {
    pub shared: Arc<Shared>,
    pub polls: AtomicUsize,
}

/// Run a pool of workers answering requests until the server stops.
pub(crate) fn spawn_workers(server: Arc<tiny_http::Server>, ctx: Arc<Ctx>, n: usize) {
    for i in 0..n {
        let server = server.clone();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("lmp-http-{i}"))
            .spawn(move || {
                while let Ok(req) = server.recv() {
                    handle(req, &ctx);
                }
            });
        if let Err(e) = spawned {
            log::error!("could not start an HTTP worker: {e}");
        }
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

type Body = Response<Cursor<Vec<u8>>>;

fn text(status: u16, body: &str) -> Body {
    Response::from_string(body)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

fn respond<R: Read>(req: Request, resp: Response<R>) {
    if let Err(e) = req.respond(resp) {
        log::debug!("could not send a response: {e}");
    }
}

/// Answer one request.
pub(crate) fn handle(req: Request, ctx: &Arc<Ctx>) {
    if !matches!(req.method(), Method::Get | Method::Head) {
        let resp = text(405, "lmp serve only answers GET and HEAD\n")
            .with_header(header("Allow", "GET, HEAD"));
        return respond(req, resp);
    }
    let raw = req.url().to_string();
    let (path, query) = match raw.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (raw.as_str(), None),
    };
    let path = strip_authority(path);
    match path {
        "/__lmp/live.js" => {
            let resp = Response::from_string(LIVE_JS)
                .with_header(header("Content-Type", "text/javascript; charset=utf-8"))
                .with_header(header("Cache-Control", "no-store"));
            return respond(req, resp);
        }
        "/__lmp/status" => {
            let st = ctx.shared.status();
            return respond(req, json(ctx.shared.status_json(&st)));
        }
        "/__lmp/poll" => return poll(req, query, ctx),
        _ => {}
    }
    let site = ctx.shared.site();
    let resp: ResponseBox = match resolve(&site, path) {
        Resolved::Bad => text(400, "bad request path\n").boxed(),
        Resolved::Redirect(to) => {
            let to = match query {
                Some(q) => format!("{to}?{q}"),
                None => to,
            };
            Response::from_string(format!("moved to {to}\n"))
                .with_status_code(StatusCode(301))
                .with_header(header("Location", &to))
                .with_header(header("Content-Type", "text/plain; charset=utf-8"))
                .boxed()
        }
        Resolved::NotBuilt => html(503, placeholder(), &site, ctx).boxed(),
        Resolved::File(key) => file(200, &key, &site, ctx),
        Resolved::NotFound => match site.files.get("404.html") {
            Some(_) => file(404, "404.html", &site, ctx),
            None => text(404, "not found\n").boxed(),
        },
    };
    respond(req, resp)
}

fn json(body: String) -> Body {
    Response::from_string(body)
        .with_header(header("Content-Type", "application/json"))
        .with_header(header("Cache-Control", "no-store"))
}

/// `/__lmp/poll?gen=N`: answered when the generation is no longer N, or after a timeout.
fn poll(req: Request, query: Option<&str>, ctx: &Arc<Ctx>) {
    let since = query
        .unwrap_or("")
        .split('&')
        .find_map(|kv| kv.strip_prefix("gen="))
        .and_then(|v| v.parse::<u64>().ok());
    let Some(since) = since else {
        let st = ctx.shared.status();
        return respond(req, json(ctx.shared.status_json(&st)));
    };
    if ctx.polls.fetch_add(1, Ordering::SeqCst) >= MAX_POLLS {
        ctx.polls.fetch_sub(1, Ordering::SeqCst);
        let st = ctx.shared.status();
        return respond(req, json(ctx.shared.status_json(&st)));
    }
    let c = ctx.clone();
    let spawned = std::thread::Builder::new()
        .name("lmp-poll".into())
        .spawn(move || {
            let st = c.shared.wait_change(since, POLL_TIMEOUT);
            respond(req, json(c.shared.status_json(&st)));
            c.polls.fetch_sub(1, Ordering::SeqCst);
        });
    if let Err(e) = spawned {
        ctx.polls.fetch_sub(1, Ordering::SeqCst);
        log::warn!("could not start a long-poll thread: {e}");
    }
}

/// A file of the site; HTML gets the live-reload script.
fn file(status: u16, key: &str, site: &Arc<Site>, ctx: &Ctx) -> ResponseBox {
    let bytes = site
        .files
        .get(key)
        .map(|b| b.as_slice())
        .unwrap_or_default();
    let ctype = content_type(key);
    if ctype.starts_with("text/html") {
        return html(status, bytes, site, ctx).boxed();
    }
    let body = FileBody {
        site: site.clone(),
        key: key.to_string(),
        pos: 0,
    };
    Response::new(
        StatusCode(status),
        vec![
            header("Content-Type", ctype),
            header("Cache-Control", "no-cache"),
        ],
        body,
        Some(bytes.len()),
        None,
    )
    .boxed()
}

/// A file's bytes read straight from the shared site (no copy per request).
struct FileBody {
    site: Arc<Site>,
    key: String,
    pos: usize,
}

impl Read for FileBody {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let bytes = self
            .site
            .files
            .get(&self.key)
            .map(|b| b.as_slice())
            .unwrap_or_default();
        let rest = bytes.get(self.pos..).unwrap_or_default();
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.pos += n;
        Ok(n)
    }
}

fn html(status: u16, bytes: &[u8], site: &Site, ctx: &Ctx) -> Body {
    let snippet = format!(
        "<script async src=\"/__lmp/live.js\" data-lmp-gen=\"{}\" data-lmp-id=\"{}\"></script>\n",
        site.generation, ctx.shared.instance
    );
    Response::from_data(inject(bytes, &snippet))
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", "text/html; charset=utf-8"))
        .with_header(header("Cache-Control", "no-cache"))
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
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// An absolute-form request target (`http://host/path`) → its path.
fn strip_authority(p: &str) -> &str {
    for scheme in ["http://", "https://"] {
        if p.len() >= scheme.len() && p[..scheme.len()].eq_ignore_ascii_case(scheme) {
            let rest = &p[scheme.len()..];
            return rest.find('/').map(|i| &rest[i..]).unwrap_or("/");
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
        let seg = percent_decode(raw)?;
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

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Map a request path to a file of the site.
pub(crate) fn resolve(site: &Site, path: &str) -> Resolved {
    let Some(segs) = segments(path) else {
        return Resolved::Bad;
    };
    if !site.is_built() {
        return Resolved::NotBuilt;
    }
    let base: Vec<&str> = site
        .base_path
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    if segs.len() < base.len() || segs.iter().zip(&base).any(|(a, b)| a != b) {
        if segs.is_empty() {
            return Resolved::Redirect(site.base_path.clone());
        }
        return Resolved::NotFound;
    }
    let rel = segs[base.len()..].join("/");
    if rel.is_empty() && !path.ends_with('/') {
        return Resolved::Redirect(format!("{path}/"));
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
        return Resolved::Redirect(format!("{path}/"));
    }
    Resolved::NotFound
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
