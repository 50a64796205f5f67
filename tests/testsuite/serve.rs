//! `lmp serve`: starts the real binary on a copy of the fixture site on a free port, talks HTTP to
//! it over plain `TcpStream`s, edits, creates, renames and deletes files, and checks what is
//! served and what the live-reload endpoint signals. Every wait is bounded; the server is killed
//! when a test ends, even when it panics.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::harness::Project;

const STARTUP: Duration = Duration::from_secs(60);
const REBUILD: Duration = Duration::from_secs(20);

/// A running `lmp serve`, killed on drop.
pub(crate) struct Serve {
    child: Child,
    /// `127.0.0.1:PORT`
    pub(crate) addr: String,
    /// The URL it printed.
    pub(crate) url: String,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Serve {
    pub(crate) fn start(p: &Project, extra: &[&str]) -> Serve {
        Self::try_start(p, extra)
            .unwrap_or_else(|(code, err)| panic!("lmp serve did not start (exit {code:?}):\n{err}"))
    }

    pub(crate) fn try_start(p: &Project, extra: &[&str]) -> Result<Serve, (Option<i32>, String)> {
        Self::try_start_within(p, extra, STARTUP)
    }

    /// [`Serve::try_start`] for a site whose first build takes longer than a fixture's.
    fn try_start_within(
        p: &Project,
        extra: &[&str],
        startup: Duration,
    ) -> Result<Serve, (Option<i32>, String)> {
        Self::try_start_watching(p, extra, startup, |_| {})
    }

    /// [`Serve::try_start_within`], calling `on_line` with each line of stderr as it comes
    /// (while the first build runs too: the test acts at a given stage of it).
    fn try_start_watching(
        p: &Project,
        extra: &[&str],
        startup: Duration,
        on_line: impl Fn(&str) + Send + 'static,
    ) -> Result<Serve, (Option<i32>, String)> {
        let mut args = vec!["serve"];
        if !extra.contains(&"--port") {
            args.extend(["--port", "0"]);
        }
        args.extend(extra);
        let mut child = Command::new(env!("CARGO_BIN_EXE_lmp"))
            .args(&args)
            .current_dir(p.dir.path())
            .env_remove("LMP_LOG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting lmp serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let err_pipe = child.stderr.take().unwrap();
        let e = stderr.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(err_pipe).lines().map_while(Result::ok) {
                on_line(&line);
                let mut s = e.lock().unwrap();
                s.push_str(&line);
                s.push('\n');
            }
        });
        let (tx, rx) = std::sync::mpsc::channel();
        let out_pipe = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out_pipe).lines().map_while(Result::ok) {
                if let Some(i) = line.find("http://") {
                    let url = line[i..].split_whitespace().next().unwrap().to_string();
                    let _ = tx.send(url);
                }
            }
        });
        let deadline = Instant::now() + startup;
        loop {
            if let Ok(url) = rx.recv_timeout(Duration::from_millis(50)) {
                let addr = url
                    .trim_start_matches("http://")
                    .split('/')
                    .next()
                    .unwrap()
                    .to_string();
                return Ok(Serve {
                    child,
                    addr,
                    url,
                    stderr,
                });
            }
            if let Ok(Some(status)) = child.try_wait() {
                std::thread::sleep(Duration::from_millis(100));
                return Err((status.code(), stderr.lock().unwrap().clone()));
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                return Err((None, stderr.lock().unwrap().clone()));
            }
        }
    }

    pub(crate) fn get(&self, path: &str) -> Resp {
        get(&self.addr, path)
    }

    pub(crate) fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// The live-reload status now.
    pub(crate) fn status(&self) -> serde_json::Value {
        self.get("/__lmp/status").json()
    }

    /// Long-poll until the generation moves past `since` (bounded).
    fn poll(&self, since: u64) -> serde_json::Value {
        let deadline = Instant::now() + REBUILD;
        loop {
            let s = self.get(&format!("/__lmp/poll?gen={since}")).json();
            if s["gen"].as_u64().unwrap() != since || Instant::now() > deadline {
                return s;
            }
        }
    }

    /// Wait for a rebuild after `since` whose status satisfies `ok`.
    pub(crate) fn wait_for(
        &self,
        since: u64,
        ok: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        let deadline = Instant::now() + REBUILD;
        let mut seen = since;
        loop {
            let s = self.poll(seen);
            if ok(&s) {
                return s;
            }
            seen = s["gen"].as_u64().unwrap();
            assert!(
                Instant::now() < deadline,
                "no matching rebuild; last status {s}\nstderr:\n{}",
                self.stderr()
            );
        }
    }

    pub(crate) fn generation(&self) -> u64 {
        self.status()["gen"].as_u64().unwrap()
    }
}

#[derive(Debug)]
pub(crate) struct Resp {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Resp {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub(crate) fn json(&self) -> serde_json::Value {
        assert_eq!(self.status, 200, "{}", self.text());
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.text()))
    }
}

/// Send raw request bytes; read the whole response (the request asks the server to close).
pub(crate) fn raw(addr: &str, request: &[u8]) -> Resp {
    let mut s = TcpStream::connect(addr).expect("connecting");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request).unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    parse(&buf).unwrap_or_else(|| panic!("bad response: {}", String::from_utf8_lossy(&buf)))
}

/// A request for a part of `path` (`range`: `bytes=0-1`, `bytes=-4`) with `method`, as a
/// video player sends it, on a connection of its own.
fn range_get(addr: &str, method: &str, path: &str, range: &str) -> Resp {
    raw(
        addr,
        format!(
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nRange: {range}\r\nConnection: close\r\n\r\n"
        )
        .as_bytes(),
    )
}

fn parse(buf: &[u8]) -> Option<Resp> {
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&buf[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Some(Resp {
        status,
        headers,
        body: buf[end + 4..].to_vec(),
    })
}

pub(crate) fn get(addr: &str, path: &str) -> Resp {
    raw(
        addr,
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

fn wait_until(what: &str, f: impl Fn() -> bool) {
    wait_until_within(what, REBUILD, f)
}

fn wait_until_within(what: &str, within: Duration, f: impl Fn() -> bool) {
    let deadline = Instant::now() + within;
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serve_serves_the_built_site_with_content_types() {
    let p = Project::fixture("basic");
    let s = Serve::start(&p, &[]);
    assert!(s.url.starts_with("http://127.0.0.1:"), "{}", s.url);
    let home = s.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let html = home.text();
    assert!(html.contains("Fixture Partnership"));
    // The live-reload script is injected once, before </body>; links point at the local server.
    assert_eq!(html.matches("/__lmp/live.js").count(), 1, "{html}");
    let script = html.find("/__lmp/live.js").unwrap();
    assert!(script < html.rfind("</body>").unwrap());
    assert!(html.contains(&format!("href=\"{}\"", s.url)), "{html}");
    for (path, ctype) in [
        ("/css/lmp.css", "text/css; charset=utf-8"),
        ("/sitemap.xml", "application/xml"),
        ("/stories/atom.xml", "application/xml"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/files/huddle-checklist.txt", "text/plain; charset=utf-8"),
        ("/stories/first-story/", "text/html; charset=utf-8"),
        (
            "/stories/first-story/index.html",
            "text/html; charset=utf-8",
        ),
        ("/__lmp/live.js", "text/javascript; charset=utf-8"),
        ("/__lmp/status", "application/json"),
    ] {
        let r = s.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some(ctype), "{path}");
        assert_eq!(
            r.header("content-length")
                .map(|l| l.parse::<usize>().unwrap()),
            Some(r.body.len()),
            "{path}"
        );
    }
    // Only HTML gets the script.
    assert!(!s.get("/css/lmp.css").text().contains("__lmp"));
    assert!(!s.get("/sitemap.xml").text().contains("__lmp"));
    // Drafts are left out without --drafts.
    assert_eq!(s.get("/stories/draft-story/").status, 404);
}

#[test]
fn serve_redirects_folders_and_answers_404_and_head() {
    let p = Project::fixture("basic");
    let s = Serve::start(&p, &[]);
    let r = s.get("/stories/first-story");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location"), Some("/stories/first-story/"));
    let r = s.get("/stories/first-story?x=1");
    assert_eq!(r.header("location"), Some("/stories/first-story/?x=1"));
    let r = s.get("/no/such/page/");
    assert_eq!(r.status, 404);
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(r.text(), s.get("/404.html").text(), "the site's 404 page");
    assert!(r.text().contains("/__lmp/live.js"));
    assert_eq!(s.get("/no-such-file.css").status, 404);
    drop(s);
    // A missing page under a language's prefix: that language's 404 page (QA Q16).
    let p = Project::bilingual();
    let s = Serve::start(&p, &[]);
    let r = s.get("/es/no-such/");
    assert_eq!(r.status, 404);
    assert!(r.text().contains("<html lang=\"es\""), "{}", r.text());
    assert_eq!(r.text(), s.get("/es/404.html").text());
    let r = s.get("/no/such/page/");
    assert!(r.text().contains("<html lang=\"en\""), "{}", r.text());
    drop(s);
    let p = Project::fixture("basic");
    let s = Serve::start(&p, &[]);
    // HEAD: the headers of GET, no body.
    let head = raw(
        &s.addr,
        format!(
            "HEAD /stories/first-story/ HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            s.addr
        )
        .as_bytes(),
    );
    let get = s.get("/stories/first-story/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-length"),
        Some(get.body.len().to_string().as_str())
    );
    let post = raw(
        &s.addr,
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(post.status, 405);
}

#[test]
fn serve_rebuilds_on_edit_and_signals_reload() {
    let p = Project::fixture("basic");
    let s = Serve::start(&p, &[]);
    let g = s.generation();
    let page = s.get("/stories/first-story/").text();
    assert!(page.contains("They met every week."));
    assert!(page.contains(&format!("data-lmp-gen=\"{g}\"")), "{page}");
    let story = p.read("site/stories/first-story.md");
    p.write(
        "site/stories/first-story.md",
        &story.replace("They met every week.", "They met every single day."),
    );
    let st = s.wait_for(g, |st| st["page_gen"].as_u64().unwrap() > g);
    assert!(st["errors"].is_null(), "{st}");
    let page = s.get("/stories/first-story/").text();
    assert!(page.contains("They met every single day."), "{page}");
    assert!(!page.contains("They met every week."));
    wait_until("the rebuild on stderr", || {
        s.stderr().contains("Rebuilt in")
    });
}

/// QA Q134: what is saved while the first build runs is shown after it. The watcher started only
/// after the first build, so a story created and an edit saved once the build had read the
/// files were never seen (404 and the old title, until some other save). Here both are written
/// the moment the first build has read the files (its `-vv` stage line), while it still
/// renders a hundred more pages.
#[test]
fn serve_shows_what_was_saved_while_its_first_build_ran() {
    let p = Project::fixture("basic");
    for i in 0..100 {
        p.write(
            &format!("site/stories/filler-{i:03}.md"),
            &format!(
                "---\ntitle: Filler story {i}\ndate: 2024-01-01\nsummary: Filler.\n---\n{}\n",
                "A paragraph with *some* words and a [link](/stories/first-story/).\n\n".repeat(10)
            ),
        );
    }
    let root = p.dir.path().to_path_buf();
    let story = p.read("site/stories/first-story.md");
    let written = Arc::new(Mutex::new(false));
    let w = written.clone();
    let s = Serve::try_start_watching(&p, &["-vv"], STARTUP, move |line| {
        let mut done = w.lock().unwrap();
        if *done || !line.starts_with("stage read+front matter") {
            return;
        }
        std::fs::write(
            root.join("site/stories/during-start.md"),
            "---\ntitle: Written while serve was starting\ndate: 2024-05-01\nsummary: New.\n---\nText.\n",
        )
        .unwrap();
        std::fs::write(
            root.join("site/stories/first-story.md"),
            story.replace("title: The first story", "title: Edited while serve was starting"),
        )
        .unwrap();
        *done = true;
    })
    .unwrap_or_else(|(code, err)| panic!("lmp serve did not start (exit {code:?}):\n{err}"));
    assert!(
        *written.lock().unwrap(),
        "the files were written during the first build\n{}",
        s.stderr()
    );
    wait_until_within("the story saved during the first build", REBUILD, || {
        s.get("/stories/during-start/").status == 200
    });
    wait_until_within("the edit saved during the first build", REBUILD, || {
        s.get("/stories/first-story/")
            .text()
            .contains("Edited while serve was starting")
    });
    assert!(
        s.get("/stories/")
            .text()
            .contains("Written while serve was starting")
    );
}

#[test]
fn serve_follows_created_renamed_and_deleted_files() {
    let p = Project::fixture("basic");
    let s = Serve::start(&p, &[]);
    let g = s.generation();
    // Create a story.
    p.write(
        "site/stories/fourth-story.md",
        "---\ntitle: A brand new story\ndate: 2024-05-01\nsummary: New.\n---\nFresh text.\n",
    );
    let st = s.wait_for(g, |_| get(&s.addr, "/stories/fourth-story/").status == 200);
    assert!(s.get("/stories/").text().contains("A brand new story"));
    // Rename it (an editor's "save as" or `git mv`).
    std::fs::rename(
        p.path("site/stories/fourth-story.md"),
        p.path("site/stories/renamed-story.md"),
    )
    .unwrap();
    let g = st["gen"].as_u64().unwrap();
    let st = s.wait_for(g, |_| get(&s.addr, "/stories/renamed-story/").status == 200);
    assert_eq!(s.get("/stories/fourth-story/").status, 404);
    // A new folder with a file in it, then the folder deleted.
    p.write("site/static/new-folder/hello.txt", "hello");
    let g = st["gen"].as_u64().unwrap();
    let st = s.wait_for(g, |_| {
        get(&s.addr, "/new-folder/hello.txt").text() == "hello"
    });
    std::fs::remove_dir_all(p.path("site/static/new-folder")).unwrap();
    let g = st["gen"].as_u64().unwrap();
    let st = s.wait_for(g, |_| get(&s.addr, "/new-folder/hello.txt").status == 404);
    // Delete the story: gone from the page and from the lists.
    std::fs::remove_file(p.path("site/stories/renamed-story.md")).unwrap();
    let g = st["gen"].as_u64().unwrap();
    s.wait_for(g, |_| get(&s.addr, "/stories/renamed-story/").status == 404);
    assert!(!s.get("/stories/").text().contains("A brand new story"));
    assert!(!s.get("/").text().contains("A brand new story"));
    assert!(!s.get("/sitemap.xml").text().contains("renamed-story"));
}

#[test]
fn serve_keeps_the_last_good_build_and_reports_errors() {
    let p = Project::fixture("basic");
    let s = Serve::start(&p, &[]);
    let g = s.generation();
    let good = p.read("site/stories/first-story.md");
    p.write(
        "site/stories/first-story.md",
        &good.replacen("title: The first story", "title: [unclosed", 1),
    );
    let st = s.wait_for(g, |st| !st["errors"].is_null());
    let errors = st["errors"].as_array().unwrap();
    let e = &errors[0];
    assert_eq!(e["path"], "site/stories/first-story.md", "{st}");
    assert!(e["line"].as_u64().unwrap() >= 2, "{st}");
    assert!(e["message"].as_str().unwrap().contains("YAML"), "{st}");
    assert!(e["help"].is_string(), "{st}");
    assert_eq!(st["page_gen"].as_u64().unwrap(), g, "no reload on failure");
    // The last good page is still served, and the terminal has the diagnostic.
    let page = s.get("/stories/first-story/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("The first story"));
    wait_until("the diagnostic on stderr", || {
        s.stderr().contains("site/stories/first-story.md:")
    });
    wait_until("the note on stderr", || {
        s.stderr().contains("still serving the last good build")
    });
    // A poll from a page loaded before the error answers at once with the errors.
    let at_once = s.get(&format!("/__lmp/poll?gen={g}")).json();
    assert!(!at_once["errors"].is_null());
    // Fixing the file clears the errors; the output is as before, so pages need no reload.
    let g2 = st["gen"].as_u64().unwrap();
    p.write("site/stories/first-story.md", &good);
    let st = s.wait_for(g2, |st| st["errors"].is_null());
    assert_eq!(st["page_gen"].as_u64().unwrap(), g);
}

#[test]
fn serve_shows_a_placeholder_until_the_first_good_build() {
    let p = Project::fixture("basic");
    let good = p.read("site/config.yaml");
    p.write("site/config.yaml", "title: [broken\n");
    let s = Serve::start(&p, &[]);
    let r = s.get("/stories/first-story/");
    assert_eq!(r.status, 503);
    assert!(r.text().contains("/__lmp/live.js"));
    let st = s.status();
    assert!(!st["errors"].is_null(), "{st}");
    let g = st["gen"].as_u64().unwrap();
    p.write("site/config.yaml", &good);
    s.wait_for(g, |st| {
        st["errors"].is_null() && st["page_gen"].as_u64() > Some(0)
    });
    assert_eq!(s.get("/stories/first-story/").status, 200);
}

#[test]
fn serve_swaps_stylesheets_without_reloading_pages() {
    let p = Project::fixture("basic");
    let s = Serve::start(&p, &[]);
    let g = s.generation();
    p.write("site/static/css/lmp.css", "body { color: rebeccapurple }\n");
    let st = s.wait_for(g, |st| st["css_gen"].as_u64().unwrap() > g);
    assert_eq!(st["page_gen"].as_u64().unwrap(), g, "{st}");
    assert!(s.get("/css/lmp.css").text().contains("rebeccapurple"));
    wait_until("the stylesheet note on stderr", || {
        s.stderr().contains("stylesheet")
    });
}

#[test]
fn serve_ignores_editor_temp_files_and_coalesces_saves() {
    let p = Project::fixture("basic");
    let s = Serve::start(&p, &[]);
    let g = s.generation();
    for junk in [
        "site/stories/.first-story.md.swp",
        "site/stories/first-story.md~",
        "site/stories/4913",
        "site/stories/.#first-story.md",
        "site/.hidden/x.md",
    ] {
        p.write(junk, "junk: [\n");
    }
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(s.generation(), g, "temp files must not trigger a rebuild");
    // Vim-style save: write a temp file, then rename it over the original; twice in a row.
    let story = p.read("site/stories/second-story.md");
    let tmp = p.path("site/stories/.second-story.md.tmp");
    std::fs::write(&tmp, story.replace("title:", "title: Edited")).unwrap();
    std::fs::rename(&tmp, p.path("site/stories/second-story.md")).unwrap();
    p.write(
        "site/stories/second-story.md",
        &story.replace("title:", "title: Edited twice"),
    );
    let st = s.wait_for(g, |st| st["page_gen"].as_u64().unwrap() > g);
    assert!(st["errors"].is_null(), "{st}");
    wait_until("the second save to show", || {
        get(&s.addr, "/stories/second-story/")
            .text()
            .contains("Edited twice")
    });
}

#[test]
fn serve_refuses_path_traversal() {
    let p = Project::fixture("basic");
    p.write("secret.txt", "TOP-SECRET");
    let s = Serve::start(&p, &[]);
    let attempts: Vec<&[u8]> = vec![
        b"/../secret.txt",
        b"/../../../../etc/passwd",
        b"/stories/../../secret.txt",
        b"/%2e%2e/secret.txt",
        b"/%2E%2E/%2e%2e/etc/passwd",
        b"/.%2e/secret.txt",
        b"/..%2fsecret.txt",
        b"/stories%2f..%2f..%2fsecret.txt",
        b"/..\\secret.txt",
        b"/%5c..%5csecret.txt",
        b"/..%5c..%5csecret.txt",
        b"/secret.txt%00.html",
        b"/%00",
        b"/site/config.yaml",
        b"/config.yaml",
        b"/etc/passwd",
        b"//etc/passwd",
        b"http://evil.example/../secret.txt",
        b"/C:/Windows/win.ini",
        b"/%252e%252e/secret.txt",
    ];
    for path in attempts {
        let mut req = b"GET ".to_vec();
        req.extend_from_slice(path);
        req.extend_from_slice(b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        let r = raw(&s.addr, &req);
        let shown = String::from_utf8_lossy(path);
        assert!(
            r.status == 400 || r.status == 404,
            "{shown}: status {}",
            r.status
        );
        let body = r.text();
        assert!(!body.contains("TOP-SECRET"), "{shown}");
        assert!(!body.contains("root:"), "{shown}");
        assert!(!body.contains("base_url"), "{shown}");
    }
    // A NUL byte in the raw request line.
    let r = raw(
        &s.addr,
        b"GET /secret.txt\0 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(!r.text().contains("TOP-SECRET"));
    // The server is still fine.
    assert_eq!(s.get("/").status, 200);
}

#[test]
fn serve_busy_port_is_an_error_naming_the_port() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let p = Project::fixture("basic");
    let Err((code, stderr)) = Serve::try_start(&p, &["--port", &port]) else {
        panic!("lmp serve started on a busy port");
    };
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("port {port} is already in use")),
        "{stderr}"
    );
}

#[test]
fn serve_warns_when_bound_beyond_loopback() {
    let p = Project::fixture("basic");
    let s = Serve::start(&p, &["--bind", "0.0.0.0"]);
    wait_until("the warning on stderr", || {
        s.stderr().contains("not a loopback address")
    });
    assert!(s.url.starts_with("http://127.0.0.1:"));
    assert_eq!(s.get("/").status, 200);
    // QA Q78: the addresses it listens on, the network's too, each answering.
    wait_until("the address line on stderr", || {
        s.stderr().contains("Listening on every network interface")
    });
    let err = s.stderr();
    let line = err
        .lines()
        .find(|l| l.contains("Listening on every network interface"))
        .unwrap();
    let urls: Vec<&str> = line
        .split_whitespace()
        .filter(|w| w.starts_with("http://") && !w.contains('<'))
        .map(|w| w.trim_end_matches([',', ')']))
        .collect();
    assert!(urls.contains(&s.url.as_str()), "{line}");
    for u in &urls {
        let addr = u.trim_start_matches("http://").trim_end_matches('/');
        let mut c = TcpStream::connect(addr).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        c.write_all(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut out = String::new();
        let _ = c.read_to_string(&mut out);
        assert!(out.starts_with("HTTP/1.1 200 "), "{u}: {out}");
    }
}

#[test]
fn serve_answers_many_concurrent_connections() {
    let p = Project::fixture("basic");
    let s = Serve::start(&p, &[]);
    // Long-polls in flight must not block the workers.
    let addr = s.addr.clone();
    let g = s.generation();
    let polls: Vec<_> = (0..16)
        .map(|_| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                let mut c = TcpStream::connect(&addr).unwrap();
                let _ = c.write_all(
                    format!("GET /__lmp/poll?gen={g} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes(),
                );
                std::thread::sleep(Duration::from_secs(3));
            })
        })
        .collect();
    let threads: Vec<_> = (0..50)
        .map(|i| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                for j in 0..20 {
                    let path =
                        ["/", "/stories/", "/css/lmp.css", "/stories/first-story/"][(i + j) % 4];
                    let r = get(&addr, path);
                    assert_eq!(r.status, 200, "{path}");
                    assert!(!r.body.is_empty());
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("a request failed");
    }
    for t in polls {
        t.join().unwrap();
    }
}

#[test]
fn serve_under_a_sub_path_base_url() {
    let p = Project::fixture("basic");
    let s = Serve::start(&p, &["--base-url", "https://example.org/lmp/"]);
    assert!(s.url.ends_with("/lmp/"), "{}", s.url);
    let r = s.get("/");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location"), Some("/lmp/"));
    let home = s.get("/lmp/");
    assert_eq!(home.status, 200);
    let html = home.text();
    assert!(html.contains("href=\"/lmp/css/lmp.css\""), "{html}");
    assert_eq!(s.get("/lmp/css/lmp.css").status, 200);
    assert_eq!(s.get("/lmp/stories/first-story/").status, 200);
    assert_eq!(s.get("/stories/first-story/").status, 404);
    // Every internal link on the home page resolves.
    for link in html.split("href=\"").skip(1) {
        let href = &link[..link.find('"').unwrap()];
        if href.starts_with("/lmp/") {
            let href = href.split('#').next().unwrap();
            assert_eq!(s.get(href).status, 200, "{href}");
        }
    }
}

#[test]
fn serve_includes_drafts_when_asked() {
    let p = Project::fixture("basic");
    let s = Serve::start(&p, &["--drafts"]);
    assert_eq!(s.get("/stories/draft-story/").status, 200);
}

#[test]
fn build_output_never_has_the_live_reload_script() {
    let p = Project::fixture("basic");
    p.ok(&["build"]);
    for (path, bytes) in p.snapshot_dir("public") {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("__lmp"), "{path}");
    }
}

#[cfg(unix)]
#[test]
fn serve_exits_cleanly_on_ctrl_c() {
    let p = Project::fixture("basic");
    let mut s = Serve::start(&p, &[]);
    assert_eq!(s.get("/").status, 200);
    let pid = s.child.id().to_string();
    let killed = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill");
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(st) = s.child.try_wait().unwrap() {
            break st;
        }
        assert!(
            Instant::now() < deadline,
            "lmp serve did not stop on SIGINT"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0), "{}", s.stderr());
}

/// Remove the live-reload script that serve adds to HTML.
fn without_live_script(html: &str) -> String {
    let Some(start) = html.find("<script async src=\"/__lmp/live.js\"") else {
        return html.to_string();
    };
    let end = start + html[start..].find("</script>\n").unwrap() + "</script>\n".len();
    format!("{}{}", &html[..start], &html[end..])
}

/// A build's content-hashed name (`css/lmp.3f2a9c01d4.css`) → the plain one `serve` links, and
/// whether `rel` is such a hashed copy (see docs/serve.md: serve links the plain names).
fn plain_asset_names(text: &str) -> (String, bool) {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut found = false;
    while let Some(i) = rest.find('.') {
        let (head, tail) = rest.split_at(i);
        out.push_str(head);
        let hex = tail.get(1..11).filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        });
        let ext = tail
            .get(11..)
            .filter(|t| t.starts_with(".css") || t.starts_with(".js"));
        if hex.is_some() && ext.is_some() {
            found = true;
            rest = &tail[11..];
        } else {
            out.push('.');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    (out, found)
}

#[test]
fn serve_serves_exactly_what_build_writes_after_edits() {
    let p = Project::fixture("basic");
    let s = Serve::start(&p, &[]);
    let g = s.generation();
    // Edit one story, create one, delete one: the served site (pages, lists, feeds, sitemap and
    // the search index) must be what a fresh full build of the same files writes.
    let first = p.read("site/stories/first-story.md");
    p.write(
        "site/stories/first-story.md",
        &first.replace("They met every week.", "They met on Tuesdays."),
    );
    p.write(
        "site/stories/fresh-story.md",
        "---\ntitle: Fresh story about huddles\ndate: 2023-03-03\nsummary: Fresh.\n---\nHuddles again.\n",
    );
    std::fs::remove_file(p.path("site/stories/third-story.md")).unwrap();
    s.wait_for(g, |_| {
        get(&s.addr, "/stories/fresh-story/").status == 200
            && get(&s.addr, "/stories/third-story/").status == 404
            && get(&s.addr, "/stories/first-story/")
                .text()
                .contains("Tuesdays")
    });
    p.ok(&["build", "--base-url", &s.url]);
    let files = p.snapshot_dir("public");
    assert!(files.len() > 10);
    for (rel, bytes) in files {
        if rel == ".lmp-output" {
            continue; // the output folder's marker, not a page of the site
        }
        // The build's content-hashed copies of the stylesheets and scripts, which serve does
        // not link (the plain files are compared).
        if plain_asset_names(&rel).1 {
            continue;
        }
        let r = s.get(&format!("/{rel}"));
        assert_eq!(r.status, 200, "{rel}");
        if rel.ends_with(".html") {
            assert_eq!(
                without_live_script(&r.text()),
                plain_asset_names(&String::from_utf8_lossy(&bytes)).0,
                "{rel}"
            );
        } else {
            assert!(r.body == bytes, "{rel} differs from lmp build's");
        }
    }
}

#[test]
fn serve_watches_the_theme_folder() {
    let p = Project::fixture("basic");
    crate::harness::copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/lmp"),
        &p.path("themes/lmp"),
    );
    p.append("site/config.yaml", "theme: ../themes/lmp\n");
    let s = Serve::start(&p, &[]);
    let g = s.generation();
    let base = p.read("themes/lmp/templates/base.html");
    assert!(base.contains("</body>"));
    p.write(
        "themes/lmp/templates/base.html",
        &base.replacen("</body>", "<p>Theme marker</p></body>", 1),
    );
    let st = s.wait_for(g, |st| st["page_gen"].as_u64().unwrap() > g);
    assert!(st["errors"].is_null(), "{st}");
    assert!(
        s.get("/stories/first-story/")
            .text()
            .contains("Theme marker")
    );
    // A theme stylesheet change is CSS-only.
    let g = st["gen"].as_u64().unwrap();
    p.append(
        "themes/lmp/static/css/lmp.css",
        "\nbody { color: rebeccapurple }\n",
    );
    let st = s.wait_for(g, |st| st["css_gen"].as_u64().unwrap() > g);
    assert_eq!(st["page_gen"].as_u64().unwrap(), g, "{st}");
    // A template error is shown with its file and line, and the last good site stays.
    let g = st["gen"].as_u64().unwrap();
    p.write(
        "themes/lmp/templates/base.html",
        &base.replacen("</body>", "{{ oops(</body>", 1),
    );
    let st = s.wait_for(g, |st| !st["errors"].is_null());
    let e = &st["errors"][0];
    assert!(
        e["path"].as_str().unwrap().ends_with("templates/base.html"),
        "{st}"
    );
    assert_eq!(s.get("/stories/first-story/").status, 200);
}

#[test]
fn serve_listens_on_ipv6_loopback() {
    if std::net::TcpListener::bind("[::1]:0").is_err() {
        eprintln!("skipped: no IPv6 loopback on this machine");
        return;
    }
    let p = Project::fixture("basic");
    let s = Serve::start(&p, &["--bind", "::1"]);
    assert!(s.url.starts_with("http://[::1]:"), "{}", s.url);
    assert!(!s.stderr().contains("not a loopback address"));
    let home = s.get("/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains(&format!("href=\"{}\"", s.url)));
}

// --- Hostile requests (issue 11): nothing a client sends may stop the server answering. ---

/// A non-ASCII base path is percent-encoded at config load: redirects to it carry an ASCII
/// `Location` (it used to panic a worker per request until none was left), and pages link to it
/// with the same spelling.
#[test]
fn serve_with_a_non_ascii_base_url_keeps_answering() {
    let p = Project::fixture("basic");
    let cfg = p
        .read("site/config.yaml")
        .replace("https://example.org/", "https://example.org/café/");
    p.write("site/config.yaml", &cfg);
    let s = Serve::start(&p, &[]);
    assert!(s.url.ends_with("/caf%C3%A9/"), "{}", s.url);
    // More requests than there are connection threads.
    for _ in 0..40 {
        let r = s.get("/");
        assert_eq!(r.status, 301);
        assert_eq!(r.header("location"), Some("/caf%C3%A9/"));
    }
    let r = s.get("/caf%C3%A9");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location"), Some("/caf%C3%A9/"));
    let home = s.get("/caf%C3%A9/");
    assert_eq!(home.status, 200);
    assert!(
        home.text().contains("href=\"/caf%C3%A9/css/lmp.css\""),
        "{}",
        home.text()
    );
    assert_eq!(s.get("/caf%C3%A9/stories/first-story/").status, 200);
    // `lmp build` writes the same links.
    p.ok(&["build", "--quiet"]);
    let built = p.read("public/index.html");
    assert!(built.contains("href=\"/caf%C3%A9/css/lmp."), "{built}");
    assert!(!built.contains("café"), "{built}");
}

/// A bare LF or control bytes in a request's target never reach a response header.
#[test]
fn serve_never_copies_control_bytes_into_headers() {
    let p = Project::fixture("basic");
    let s = Serve::start(&p, &[]);
    for req in [
        &b"GET /stories?a\nSet-Cookie: evil=1 HTTP/1.1\r\nConnection: close\r\n\r\n"[..],
        b"GET /stories?a\rSet-Cookie: evil=1 HTTP/1.1\r\nConnection: close\r\n\r\n",
        b"GET /stories?a\x0bb\x7f HTTP/1.1\r\nConnection: close\r\n\r\n",
        b"GET /stories?caf\xc3\xa9 HTTP/1.1\r\nConnection: close\r\n\r\n",
    ] {
        let r = raw(&s.addr, req);
        assert_eq!(r.status, 400, "{}", String::from_utf8_lossy(req));
        assert!(r.header("set-cookie").is_none() && r.header("location").is_none());
    }
    // Encoded control bytes stay encoded in the redirect.
    let r = s.get("/stories?a=%0ASet-Cookie:%20evil=1");
    assert_eq!(r.status, 301);
    assert_eq!(
        r.header("location"),
        Some("/stories/?a=%0ASet-Cookie:%20evil=1")
    );
    assert!(r.header("set-cookie").is_none());
    // And the server still answers.
    assert_eq!(s.get("/").status, 200);
}

/// The number of threads of a process (Linux only).
fn threads_of(pid: u32) -> Option<usize> {
    std::fs::read_dir(format!("/proc/{pid}/task"))
        .ok()
        .map(|d| d.count())
}

/// A request answered within `limit` (retried: a new connection may be refused while the server
/// sheds a flood).
fn get_eventually(addr: &str, path: &str, limit: Duration) -> Option<u16> {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if let Ok(mut c) = TcpStream::connect(addr) {
            let _ = c.set_read_timeout(Some(Duration::from_secs(5)));
            let req = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            if c.write_all(req.as_bytes()).is_ok() {
                let mut buf = Vec::new();
                let _ = c.read_to_end(&mut buf);
                if let Some(r) = parse(&buf) {
                    return Some(r.status);
                }
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

/// 1,000 idle connections make no more threads and do not stop the server answering.
#[test]
fn serve_survives_a_flood_of_idle_connections() {
    let p = Project::fixture("basic");
    let s = Serve::start(&p, &[]);
    let before = threads_of(s.child.id());
    let idle: Vec<TcpStream> = (0..1000)
        .filter_map(|_| TcpStream::connect(&s.addr).ok())
        .collect();
    assert!(idle.len() > 500, "only {} connections opened", idle.len());
    std::thread::sleep(Duration::from_millis(500));
    match (before, threads_of(s.child.id())) {
        (Some(b), Some(n)) => assert!(n <= b + 2, "{b} threads before the flood, {n} during it"),
        _ => eprintln!("skipped the thread count: no /proc on this platform"),
    }
    assert_eq!(
        get_eventually(&s.addr, "/", Duration::from_secs(20)),
        Some(200),
        "no answer during the flood"
    );
    drop(idle);
    assert_eq!(s.get("/").status, 200);
}

/// A huge header line is refused (431) once past the limit instead of being buffered, and the
/// server answers the next request.
#[test]
fn serve_refuses_a_huge_header_line() {
    let p = Project::fixture("basic");
    let s = Serve::start(&p, &[]);
    let c = TcpStream::connect(&s.addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    c.set_write_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut w = c.try_clone().unwrap();
    // Write up to 64 MiB on one thread, read the answer on this one.
    let writer = std::thread::spawn(move || {
        let mut sent = 0usize;
        let _ = w.write_all(b"GET / HTTP/1.1\r\nX-Big: ");
        let chunk = vec![b'a'; 64 * 1024];
        for _ in 0..1024 {
            if w.write_all(&chunk).is_err() {
                break;
            }
            sent += chunk.len();
        }
        sent
    });
    let mut first = String::new();
    let _ = BufReader::new(&c).read_line(&mut first);
    let sent = writer.join().unwrap();
    assert!(first.starts_with("HTTP/1.1 431 "), "{first:?}");
    assert!(sent < 64 * 1024 * 1024, "the server read all {sent} bytes");
    assert_eq!(s.get("/").status, 200);
}

/// `rm -rf site; cp -r backup site` while serving: the error shows, then the restored site is
/// served and watched again, without a restart.
#[test]
fn serve_recovers_when_the_site_folder_is_deleted_and_copied_back() {
    let p = Project::fixture("basic");
    let s = Serve::start(&p, &[]);
    crate::harness::copy_dir(&p.path("site"), &p.path("backup"));
    let g = s.generation();
    std::fs::remove_dir_all(p.path("site")).unwrap();
    let st = s.wait_for(g, |st| !st["errors"].is_null());
    assert_eq!(
        s.get("/").status,
        200,
        "the last good build is still served"
    );
    let g = st["gen"].as_u64().unwrap();
    crate::harness::copy_dir(&p.path("backup"), &p.path("site"));
    let st = s.wait_for(g, |st| st["errors"].is_null());
    assert_eq!(s.get("/stories/first-story/").status, 200);
    // The restored folder is watched: an edit in it is rebuilt.
    let story = p.read("site/stories/first-story.md");
    p.write(
        "site/stories/first-story.md",
        &story.replace("They met every week.", "They met after the restore."),
    );
    let g = st["gen"].as_u64().unwrap();
    s.wait_for(g, |_| {
        get(&s.addr, "/stories/first-story/")
            .text()
            .contains("They met after the restore.")
    });
}

/// Safari and iOS play a video only from a server that answers `Range` requests with `206`
/// (QA s4): `lmp serve` answers single byte ranges of every file that is not a page.
#[test]
fn serve_answers_range_requests_for_videos() {
    let p = Project::fixture("basic");
    let mut clip = b"\0\0\0\x18ftypisom\0\0\x02\0isomiso2".to_vec();
    clip.extend((0..1000u32).map(|i| (i % 251) as u8));
    p.write_bytes("site/static/videos/clip.mp4", &clip);
    let s = Serve::start(&p, &[]);
    let n = clip.len();
    let ranged = |method: &str, range: &str| range_get(&s.addr, method, "/videos/clip.mp4", range);
    let whole = s.get("/videos/clip.mp4");
    assert_eq!(whole.status, 200);
    assert_eq!(whole.header("accept-ranges"), Some("bytes"));
    assert_eq!(whole.body, clip);
    // What a video element asks first, then a part from the middle, then the end.
    let r = ranged("GET", "bytes=0-1");
    assert_eq!(r.status, 206);
    assert_eq!(
        r.header("content-range"),
        Some(format!("bytes 0-1/{n}").as_str())
    );
    assert_eq!(r.header("content-length"), Some("2"));
    assert_eq!(r.body, &clip[..2]);
    assert_eq!(r.header("content-type"), Some("video/mp4"));
    let r = ranged("GET", "bytes=100-");
    assert_eq!(r.status, 206);
    assert_eq!(r.body, &clip[100..]);
    let r = ranged("GET", "bytes=-4");
    assert_eq!(
        r.header("content-range"),
        Some(format!("bytes {}-{}/{n}", n - 4, n - 1).as_str())
    );
    assert_eq!(r.body, &clip[n - 4..]);
    // HEAD: the headers of the part, no body.
    let r = ranged("HEAD", "bytes=10-19");
    assert_eq!((r.status, r.header("content-length")), (206, Some("10")));
    assert!(r.body.is_empty());
    // Past the end: 416 with the size; several ranges: the whole file.
    let r = ranged("GET", &format!("bytes={n}-"));
    assert_eq!(r.status, 416);
    assert_eq!(
        r.header("content-range"),
        Some(format!("bytes */{n}").as_str())
    );
    let r = ranged("GET", "bytes=0-1, 5-6");
    assert_eq!((r.status, r.body.len()), (200, n));
    // Pages are whole, with the live-reload script.
    let r = range_get(&s.addr, "GET", "/", "bytes=0-1");
    assert_eq!(r.status, 200);
    assert!(r.text().contains("/__lmp/live.js"));
}

#[test]
fn verbose_serve_prints_cpu_and_peak_rss_per_stage_for_each_rebuild() {
    // QA Q56: `lmp -v serve` printed wall times only, unlike `lmp -v build`.
    let p = Project::fixture("basic");
    let s = Serve::start(&p, &["-v"]);
    let g = s.generation();
    let table = |stderr: &str| {
        stderr
            .lines()
            .filter(|l| {
                l.trim_start().starts_with("markdown+links")
                    && l.contains(" ms CPU")
                    && l.contains("MiB peak RSS")
            })
            .count()
    };
    wait_until("the first build's table", || table(&s.stderr()) >= 1);
    let story = p.read("site/stories/first-story.md");
    p.write(
        "site/stories/first-story.md",
        &story.replace("They met every week.", "They met every day."),
    );
    s.wait_for(g, |st| st["page_gen"].as_u64().unwrap() > g);
    wait_until("the rebuild's table", || table(&s.stderr()) >= 2);
}

/// QA Q29: `lmp serve` does not read static files into memory: a 300 MB file (sparse: no disk
/// space) is sent from disk, whole and in parts, and the server's peak memory stays far below
/// its size. An edit of the file in place is served after the rebuild (a new digest).
#[test]
fn serve_sends_a_big_static_file_from_disk_without_holding_it_in_memory() {
    const SIZE: u64 = 300 << 20;
    let p = Project::fixture("basic");
    let path = p.path("site/static/files/big.bin");
    p.write_bytes("site/static/files/big.bin", b"");
    {
        let f = std::fs::File::options().write(true).open(&path).unwrap();
        f.set_len(SIZE).unwrap();
        use std::os::unix::fs::FileExt as _;
        f.write_all_at(b"END!", SIZE - 4).unwrap();
    }
    let s = Serve::start(&p, &[]);
    // The whole file, counted as it arrives (not kept).
    let mut c = TcpStream::connect(&s.addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        c,
        "GET /files/big.bin HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        s.addr
    )
    .unwrap();
    let mut r = BufReader::new(c);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        if line == "\r\n" || line.is_empty() {
            break;
        }
        head.push_str(&line);
    }
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains(&format!("content-length: {SIZE}\r\n")),
        "{head}"
    );
    let (mut got, mut tail) = (0u64, Vec::new());
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = r.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        got += n as u64;
        tail.extend_from_slice(&buf[..n]);
        let keep = tail.len().saturating_sub(4);
        tail.drain(..keep);
    }
    assert_eq!((got, tail.as_slice()), (SIZE, b"END!".as_slice()));
    // A part from the end, as a video player asks.
    let part = range_get(&s.addr, "GET", "/files/big.bin", "bytes=-4");
    assert_eq!(
        (part.status, part.body.as_slice()),
        (206, b"END!".as_slice())
    );
    assert_eq!(
        part.header("content-range"),
        Some(format!("bytes {}-{}/{SIZE}", SIZE - 4, SIZE - 1).as_str())
    );
    #[cfg(target_os = "linux")]
    {
        // Peak resident memory of the server: its pages and images, not the file.
        let status = std::fs::read_to_string(format!("/proc/{}/status", s.child.id())).unwrap();
        let kb: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap();
        assert!(
            kb * 1024 < SIZE / 2,
            "lmp serve peaked at {} MB serving a {} MB file",
            kb >> 10,
            SIZE >> 20
        );
    }
    // Edited in place (same size): the rebuild sees a new digest, so pages reload, and the
    // new bytes are served.
    let g = s.generation();
    {
        use std::os::unix::fs::FileExt as _;
        let f = std::fs::File::options().write(true).open(&path).unwrap();
        f.write_all_at(b"NEW!", SIZE - 4).unwrap();
    }
    s.wait_for(g, |st| st["page_gen"].as_u64().unwrap() > g);
    let part = range_get(&s.addr, "GET", "/files/big.bin", "bytes=-4");
    assert_eq!(part.body, b"NEW!");
}

/// QA s7 Q106: the image cache deleted while `lmp serve` runs (the README says to delete it to
/// reclaim the space): the images answered 404 until an edit. Now the first request for a gone
/// file is answered 503 "being made again", the builder makes the missing files again, the
/// pages reload, and the same image is served with the same bytes.
#[test]
fn serve_makes_a_deleted_image_cache_again_and_reloads_the_pages() {
    let p = Project::fixture("basic");
    let mut jpeg = Vec::new();
    image::RgbImage::from_fn(900, 600, |x, y| {
        image::Rgb([(x / 4) as u8, (y / 3) as u8, 90])
    })
    .write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
        &mut jpeg, 85,
    ))
    .unwrap();
    p.write_bytes("site/static/images/team.jpg", &jpeg);
    p.write(
        "site/stories/team.md",
        "---\ntitle: The team\ndate: 2020-01-02\nsummary: S.\ntopics: [ubt-basics]\n---\nText.\n\n![The team at the station](/images/team.jpg)\n",
    );
    let s = Serve::start(&p, &[]);
    let page = s.get("/stories/team/").text();
    let src = page
        .split("src=\"")
        .skip(1)
        .filter_map(|r| r.split('"').next())
        .find(|u| u.starts_with("/media/team-"))
        .unwrap_or_else(|| panic!("no processed image in:\n{page}"))
        .to_string();
    let before = s.get(&src);
    assert_eq!(before.status, 200);
    let g = s.generation();
    std::fs::remove_dir_all(p.path(".lmp-cache")).unwrap();
    let gone = s.get(&src);
    assert_eq!(gone.status, 503, "{}", gone.text());
    assert_eq!(gone.header("Retry-After"), Some("1"));
    s.wait_for(g, |st| st["page_gen"].as_u64().unwrap() > g);
    let after = s.get(&src);
    assert_eq!(after.status, 200, "{}", after.text());
    assert!(after.body == before.body, "the image made again differs");
    assert!(p.exists(".lmp-cache/images"), "the cache is made again");
    wait_until("the repair said once on stderr", || {
        s.stderr().matches("making the missing files again").count() == 1
    });
}

/// The peak resident memory of process `pid` so far, in MiB (Linux).
#[cfg(target_os = "linux")]
fn peak_mib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kb >> 10
}

/// Issue 15: `lmp serve` keeps the pages it serves and the bodies it reuses on disk, not in
/// memory, so its peak stays near `lmp build`'s on a site whose bodies are most of its size
/// (it held every page's bytes and every rendered body: 673 MB against build's 170 MiB at
/// 10,000 documents). Checked after the first build and after a body edit.
#[cfg(target_os = "linux")]
#[test]
fn serve_peaks_near_what_a_build_of_the_same_site_takes() {
    let p = Project::fixture("basic");
    // 200 stories of about 40 kB (8 MB of markdown, 22 MB of pages), mostly a plain code
    // block (cheap to render in a debug build), words varied so that the search index is not
    // trivial.
    const WORDS: [&str; 24] = [
        "huddle",
        "team",
        "patient",
        "safety",
        "union",
        "partnership",
        "nurse",
        "clinic",
        "schedule",
        "wait",
        "times",
        "improve",
        "measure",
        "members",
        "leaders",
        "training",
        "equipment",
        "supply",
        "reliable",
        "quality",
        "service",
        "workflow",
        "staffing",
        "care",
    ];
    let mut seed: u64 = 0x5eed;
    let mut words = |n: usize| {
        (0..n)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                WORDS[(seed >> 33) as usize % WORDS.len()]
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    for i in 0..200 {
        let mut body = format!("## Story {i}\n\n{}.\n\n```text\n", words(100));
        for _ in 0..500 {
            body.push_str(&words(10));
            body.push('\n');
        }
        body.push_str("```\n");
        p.write(
            &format!("site/stories/generated-{i}.md"),
            &format!(
                "---\ntitle: Generated story {i}\ndate: 2020-01-{:02}\nsummary: Story {i} of many.\ntopics: [ubt-basics]\n---\n{body}",
                1 + i % 28
            ),
        );
    }
    // The image cache the other runs of the test suite share (encoding the fixture's photos in
    // a debug build takes seconds).
    let cache = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("lmp-image-cache");
    let cfg = p.read("site/config.yaml");
    p.write(
        "site/config.yaml",
        &format!("{cfg}cache_dir: {}\n", cache.display()),
    );
    let built = p.ok(&["-v", "build"]);
    let build_peak: u64 = built
        .stderr
        .lines()
        .filter_map(|l| {
            let at = l.find(" MiB peak RSS")?;
            l[..at].split_whitespace().last()?.parse().ok()
        })
        .max()
        .unwrap_or_else(|| panic!("no peak RSS in:\n{}", built.stderr));
    let s = Serve::try_start_within(&p, &["-v"], Duration::from_secs(300))
        .unwrap_or_else(|(code, err)| panic!("lmp serve did not start (exit {code:?}):\n{err}"));
    let g = s.generation();
    // A slow machine builds this site's search index in a debug build slowly.
    let long = Duration::from_secs(300);
    wait_until_within("the first build's search index", long, || {
        s.stderr()
            .lines()
            .any(|l| l.trim_start().starts_with("search index"))
    });
    let first = peak_mib(s.child.id());
    let story = p.read("site/stories/generated-7.md");
    p.write(
        "site/stories/generated-7.md",
        &story.replace("## Story 7", "## Story seven"),
    );
    wait_until_within("the edit's rebuild", long, || {
        s.status()["page_gen"].as_u64().unwrap() > g
    });
    wait_until_within("the rebuilt search index", long, || {
        s.stderr().contains("search index rebuilt")
    });
    let page = s.get("/stories/generated-7/").text();
    assert!(page.contains("Story seven"), "{page}");
    let after = peak_mib(s.child.id());
    // Room for what serve keeps on purpose (the last build's graph, link records, tokenised
    // search chunks, the sources) and for the allocator. Holding the pages and bodies in
    // memory took about build + 30 MiB here.
    let bound = build_peak + build_peak / 4 + 8;
    eprintln!(
        "lmp serve peak: {first} MiB, after an edit {after} MiB; lmp build: {build_peak} MiB"
    );
    assert!(
        first <= bound && after <= bound,
        "lmp serve peaked at {first} MiB after its first build and {after} MiB after an edit, lmp build at {build_peak} MiB (bound {bound} MiB)"
    );
}

/// Disk bytes taken now by the scratch files of the `lmp serve` with process id `pid` (its
/// open, unlinked `.lmp-spill-*` files), and how many there are.
#[cfg(target_os = "linux")]
fn scratch_on_disk(pid: u32) -> (u64, usize) {
    use std::os::unix::fs::MetadataExt as _;
    let mut total = (0, 0);
    for e in std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .flatten()
    {
        let Ok(target) = std::fs::read_link(e.path()) else {
            continue;
        };
        if target.to_string_lossy().contains(".lmp-spill-")
            && let Ok(m) = std::fs::metadata(e.path())
        {
            total.0 += m.blocks() * 512;
            total.1 += 1;
        }
    }
    total
}

/// QA Q127: every rebuild of `lmp serve` kept about 4 kB of disk per re-rendered page (and every
/// edited body whole) in its scratch files, for as long as it ran. After many rebuilds that
/// re-render every page and edit a body, the files take about what they took after the first
/// build, and the pages served are the last ones.
#[cfg(target_os = "linux")]
#[test]
fn serve_scratch_files_stay_near_the_size_of_the_site_over_rebuilds() {
    let p = Project::fixture("basic");
    // 40 stories of about 3 kB (uneven sizes: no page fills whole blocks).
    for i in 0..40 {
        let body = format!("Partners in clinic {i} met at the huddle board. ").repeat(20 + i % 37);
        p.write(
            &format!("site/stories/extra-{i:02}.md"),
            &format!(
                "---\ntitle: Extra story {i}\ndate: 2026-01-{:02}\nsummary: Story {i}.\ntopics: [ubt-basics]\n---\n\n{body}\n",
                1 + i % 28
            ),
        );
    }
    let s = Serve::start(&p, &[]);
    let pid = s.child.id();
    let (first, files) = scratch_on_disk(pid);
    assert_eq!(
        files, 3,
        "the pages', the bodies' and the content files' scratch files"
    );
    let config = p.read("site/config.yaml");
    let story = p.read("site/stories/extra-07.md");
    let mut most = first;
    for round in 1..=6 {
        let g = s.generation();
        // The site's title is on every page: every page is rendered again; and a body edited.
        p.write(
            "site/config.yaml",
            &config.replace(
                "title: Fixture Partnership",
                &format!("title: Fixture Partnership {round}"),
            ),
        );
        p.write(
            "site/stories/extra-07.md",
            &format!("{story}\nEdit number {round}.\n"),
        );
        // The search index of the edit too (it goes to the pages' scratch file after them).
        let st = s.wait_for(g, |st| {
            st["errors"].is_null()
                && st["search_gen"] == st["gen"]
                && s.get("/stories/extra-07/")
                    .text()
                    .contains(&format!("Edit number {round}."))
                && s.get("/")
                    .text()
                    .contains(&format!("Fixture Partnership {round}"))
        });
        assert!(st["errors"].is_null(), "{st}");
        most = most.max(scratch_on_disk(pid).0);
    }
    let page = s.get("/stories/extra-07/").text();
    assert!(page.contains("Edit number 6.") && !page.contains("Edit number 5."));
    assert!(page.contains("Fixture Partnership 6"));
    // At most the pages of two builds at once (while a rebuild replaces them), and about one
    // build's after; before, each rebuild added about 4 kB per page (6 rebuilds: 3 to 4 times
    // the first build's size here).
    let (last, _) = scratch_on_disk(pid);
    assert!(
        most <= 2 * first + first / 2 && last <= first + first / 2,
        "{first} bytes on disk after the first build, {most} at most, {last} after 6 rebuilds"
    );
}

/// QA s14: every rebuild printed every warning of the site again (a 10,000-document site:
/// 1,908 warnings, 11,450 lines after each save), burying the message about the file just
/// saved. A warning is printed once, with a line counting those not repeated; a new warning
/// and every error are printed when they come.
#[test]
fn serve_prints_a_warning_once_and_then_only_the_new_ones() {
    let p = Project::fixture("basic");
    let untagged = |title: &str| {
        format!("---\ntitle: {title}\ndate: 2020-01-01\nsummary: A story.\n---\nText.\n")
    };
    p.write("site/stories/untagged-a.md", &untagged("Untagged A"));
    let s = Serve::start(&p, &[]);
    let warnings_of = |file: &str| {
        s.stderr()
            .lines()
            .filter(|l| l.contains(file) && l.contains(": warning: "))
            .count()
    };
    // The address comes on stdout, the warning on stderr, each read by its own thread: under
    // load the address can be read first (CI at load 6: 0 warnings seen), so wait for stderr.
    wait_until("the first build's warning on stderr", || {
        warnings_of("untagged-a.md") > 0
    });
    assert_eq!(warnings_of("untagged-a.md"), 1, "{}", s.stderr());
    let rebuilds = || s.stderr().matches("Rebuilt in").count();
    // A body edit elsewhere: the warning is not printed again.
    let g = s.generation();
    p.append("site/stories/first-story.md", "\nOne more line.\n");
    s.wait_for(g, |st| st["page_gen"].as_u64().unwrap() > g);
    wait_until("the rebuild on stderr", || rebuilds() == 1);
    assert_eq!(warnings_of("untagged-a.md"), 1, "{}", s.stderr());
    assert!(
        s.stderr()
            .contains("1 warning printed before is not shown again (`lmp check` lists every one)"),
        "{}",
        s.stderr()
    );
    // A new warning is printed, the old one still not.
    let g = s.generation();
    p.write("site/stories/untagged-b.md", &untagged("Untagged B"));
    s.wait_for(g, |st| st["page_gen"].as_u64().unwrap() > g);
    wait_until("the second rebuild on stderr", || rebuilds() == 2);
    assert_eq!(warnings_of("untagged-b.md"), 1, "{}", s.stderr());
    assert_eq!(warnings_of("untagged-a.md"), 1, "{}", s.stderr());
    // An error is printed each time it is there.
    let story = p
        .read("site/stories/first-story.md")
        .replace("title:", "tittle: x\ntitle:");
    for n in 1..=2 {
        // The second time, the same error with another edit of the file.
        p.write(
            "site/stories/first-story.md",
            &format!("{story}{}", "\nAgain.\n".repeat(n - 1)),
        );
        wait_until("the failed build on stderr", || {
            s.stderr().matches("Build failed").count() == n
        });
        assert_eq!(
            s.stderr().matches("error: unknown field `tittle").count(),
            n,
            "{}",
            s.stderr()
        );
    }
    // Nor after a config.yaml that does not read (that build stops before its warnings).
    p.write(
        "site/stories/first-story.md",
        &story.replace("tittle: x\n", ""),
    );
    wait_until("the rebuild with the error fixed", || rebuilds() == 3);
    let config = p.read("site/config.yaml");
    p.write("site/config.yaml", &config.replacen("title:", "title", 1));
    wait_until("the config error on stderr", || {
        s.stderr()
            .contains("has no `:` after the name of its field (`title`)")
    });
    p.write("site/config.yaml", &config);
    wait_until("the rebuild after it", || rebuilds() == 4);
    assert_eq!(warnings_of("untagged-a.md"), 1, "{}", s.stderr());
}

impl Serve {
    /// Whether the server is still running (a hostile save must never stop it).
    fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

/// The first error of a status answer, as the browser overlay shows it: `path:line:col`.
fn first_error(st: &serde_json::Value) -> String {
    let e = &st["errors"][0];
    format!(
        "{}:{}:{}",
        e["path"].as_str().unwrap_or("?"),
        e["line"],
        e["col"]
    )
}

/// An editor saving a file in several writes: `lmp serve` rebuilds between them and sees a
/// half-written file (front matter cut short, a character cut in the middle of its bytes).
/// It keeps running and serving the last good pages, shows each error in the overlay at its
/// file, line and column, and the next good save brings the page back.
#[test]
fn serve_survives_half_written_saves_and_recovers_on_the_next_good_one() {
    let p = Project::bilingual();
    let mut s = Serve::start(&p, &[]);
    let good = p.read("site/stories/first-story.md");
    let g = s.generation();
    // Cut in its front matter: it never closes.
    p.write("site/stories/first-story.md", &good[..40]);
    let st = s.wait_for(g, |st| !st["errors"].is_null());
    assert_eq!(first_error(&st), "site/stories/first-story.md:1:1", "{st}");
    assert!(
        st["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("never closes"),
        "{st}"
    );
    assert!(s.running());
    assert!(s.get("/stories/first-story/").text().contains("huddle"));
    // Cut inside `é` (two bytes in UTF-8): the place of the cut byte.
    let g = st["gen"].as_u64().unwrap();
    let cafe = good.replace("They met every week.", "They met every week, café");
    let cut = cafe.find("café").unwrap() + 4;
    p.write_bytes("site/stories/first-story.md", &cafe.as_bytes()[..cut]);
    let st = s.wait_for(g, |st| {
        st["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("not valid UTF-8"))
    });
    let line = good[..good.find("They met").unwrap()].matches('\n').count() + 1;
    assert_eq!(
        first_error(&st),
        format!("site/stories/first-story.md:{line}:25"),
        "{st}"
    );
    assert!(s.running());
    assert_eq!(s.get("/stories/first-story/").status, 200);
    // The whole file saved: no error, the new text served.
    let g = st["gen"].as_u64().unwrap();
    p.write(
        "site/stories/first-story.md",
        &good.replace("They met every week.", "They met every week, café."),
    );
    s.wait_for(g, |st| st["errors"].is_null());
    assert!(s.get("/stories/first-story/").text().contains("café."));
    assert!(s.running());
}

/// A story renamed to the translation of an original that does not exist (`x.es.md`), and a
/// translation deleted while `lmp serve` runs: the first is an error at the renamed file (and
/// the links to the old name), the second drops the Spanish page; renamed back and written
/// again, both come back.
#[test]
fn serve_follows_translations_renamed_without_an_original_and_deleted() {
    let p = Project::bilingual();
    let mut s = Serve::start(&p, &[]);
    assert_eq!(s.get("/es/stories/first-story/").status, 200);
    let g = s.generation();
    std::fs::rename(
        p.path("site/stories/second-story.md"),
        p.path("site/stories/nadie.es.md"),
    )
    .unwrap();
    let st = s.wait_for(g, |st| {
        st["errors"]
            .as_array()
            .is_some_and(|e| e.iter().any(|e| e["path"] == "site/stories/nadie.es.md"))
    });
    let errors = st["errors"].as_array().unwrap();
    let orphan = errors
        .iter()
        .find(|e| e["path"] == "site/stories/nadie.es.md")
        .unwrap();
    assert_eq!(
        (orphan["line"].as_u64(), orphan["col"].as_u64()),
        (Some(1), Some(1))
    );
    assert!(
        orphan["message"]
            .as_str()
            .unwrap()
            .contains("of stories/nadie.md, which does not exist"),
        "{st}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e["path"] == "site/stories/first-story.md"
                && e["message"].as_str().unwrap().contains("second-story.md")),
        "{st}"
    );
    assert!(s.running());
    assert_eq!(
        s.get("/stories/second-story/").status,
        200,
        "the last good site"
    );
    let g = st["gen"].as_u64().unwrap();
    std::fs::rename(
        p.path("site/stories/nadie.es.md"),
        p.path("site/stories/second-story.md"),
    )
    .unwrap();
    let st = s.wait_for(g, |st| st["errors"].is_null());
    assert_eq!(s.get("/stories/second-story/").status, 200);
    assert_eq!(s.get("/es/stories/nadie/").status, 404);
    // The translation deleted: its page goes, the English one stays.
    let tr = p.read("site/stories/first-story.es.md");
    let g = st["gen"].as_u64().unwrap();
    p.remove("site/stories/first-story.es.md");
    let st = s.wait_for(g, |_| {
        get(&s.addr, "/es/stories/first-story/").status == 404
    });
    assert!(st["errors"].is_null(), "{st}");
    assert_eq!(s.get("/stories/first-story/").status, 200);
    assert!(s.running());
    let g = st["gen"].as_u64().unwrap();
    p.write("site/stories/first-story.es.md", &tr);
    let st = s.wait_for(g, |_| {
        get(&s.addr, "/es/stories/first-story/").status == 200
    });
    assert!(st["errors"].is_null(), "{st}");
    assert!(
        s.get("/es/stories/first-story/")
            .text()
            .contains("La primera historia")
    );
}

/// config.yaml's `languages:` edited to bad values, and the theme's Spanish strings file made
/// invalid (bad YAML, then saved in another character set): `lmp serve` keeps running and the
/// last good site, shows each error at the line and column of what is wrong (`es: 7` was shown
/// at `languages:`; the strings file not in UTF-8 had no place at all), and recovers when the
/// file is good again.
#[test]
fn serve_shows_bad_languages_and_theme_strings_where_they_are_and_recovers() {
    let p = Project::bilingual();
    crate::harness::copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/lmp"),
        &p.path("themes/lmp"),
    );
    p.append("site/config.yaml", "theme: ../themes/lmp\n");
    let mut s = Serve::start(&p, &[]);
    let config = p.read("site/config.yaml");
    let at = config.find("languages:").unwrap();
    let line_of =
        |text: &str, needle: &str| text[..text.find(needle).unwrap()].matches('\n').count() + 1;
    let head = &config[..at];
    let tail = config[at..].split_once("theme:").unwrap().1;
    let lang_line = line_of(&config, "languages:");
    for (bad, line, col, says) in [
        (
            "languages:\n  en: {name: English}\n  es: 7\n",
            lang_line + 2,
            3,
            "`languages.es` must be a mapping",
        ),
        (
            "languages: 5\n",
            lang_line,
            12,
            "`languages` must be a mapping",
        ),
        (
            "languages:\n  en: {name: English}\n  es: {nombre: Español}\n",
            // At the unknown field itself (QA s17: it was at `es:`).
            lang_line + 2,
            8,
            "unknown field `nombre`",
        ),
        (
            "languages:\n  en: {name: English}\n  e$: {name: Español}\n",
            lang_line + 2,
            3,
            "not a lower-case language tag",
        ),
    ] {
        let g = s.generation();
        p.write("site/config.yaml", &format!("{head}{bad}theme:{tail}"));
        let st = s.wait_for(g, |st| !st["errors"].is_null());
        assert_eq!(
            first_error(&st),
            format!("site/config.yaml:{line}:{col}"),
            "{bad}: {st}"
        );
        assert!(
            st["errors"][0]["message"].as_str().unwrap().contains(says),
            "{bad}: {st}"
        );
        assert!(s.running(), "{bad}");
        assert_eq!(s.get("/es/stories/first-story/").status, 200, "{bad}");
    }
    let g = s.generation();
    p.write("site/config.yaml", &config);
    let st = s.wait_for(g, |st| st["errors"].is_null());
    // The theme's Spanish strings: bad YAML, then Latin-1 bytes.
    let strings = p.read("themes/lmp/i18n/es.yaml");
    let search_line = line_of(&strings, "\nsearch: Buscar") + 1;
    let g = st["gen"].as_u64().unwrap();
    p.write(
        "themes/lmp/i18n/es.yaml",
        &strings.replacen("\nsearch: Buscar", "\nsearch: [Buscar", 1),
    );
    let st = s.wait_for(g, |st| !st["errors"].is_null());
    assert!(
        first_error(&st).ends_with(&format!("themes/lmp/i18n/es.yaml:{search_line}:9")),
        "{st}"
    );
    assert!(s.running());
    let g = st["gen"].as_u64().unwrap();
    // `Büscar` as Latin-1 writes it: `ü` is the one byte 0xfc.
    let mut bytes = strings
        .replacen("\nsearch: Buscar", "\nsearch: B\u{1}scar", 1)
        .into_bytes();
    let i = bytes.iter().position(|&b| b == 1).unwrap();
    bytes[i] = 0xfc;
    p.write_bytes("themes/lmp/i18n/es.yaml", &bytes);
    let st = s.wait_for(g, |st| {
        st["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("not valid UTF-8"))
    });
    assert!(
        first_error(&st).ends_with(&format!("themes/lmp/i18n/es.yaml:{search_line}:10")),
        "{st}"
    );
    assert!(s.running());
    assert_eq!(s.get("/es/stories/first-story/").status, 200);
    let g = st["gen"].as_u64().unwrap();
    p.write(
        "themes/lmp/i18n/es.yaml",
        &strings.replacen("\nsearch: Buscar", "\nsearch: Buscar ahora", 1),
    );
    s.wait_for(g, |st| st["errors"].is_null());
    assert!(
        s.get("/es/stories/first-story/")
            .text()
            .contains("Buscar ahora")
    );
    assert!(s.running());
}
