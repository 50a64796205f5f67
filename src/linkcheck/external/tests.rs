//! `lmp check --external` against local servers on 127.0.0.1 (never the real network).

use std::io::Read as _;
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::*;

/// What a test server answers: status and headers, for a method, a path and the number of the
/// request (0 for the first).
type Handler = dyn Fn(&str, &str, usize) -> (u16, Vec<(&'static str, String)>) + Send + Sync;

struct Local {
    base: String,
    hits: Arc<AtomicUsize>,
}

/// A server on a free port of 127.0.0.1, answering each request on its own thread.
fn serve(
    handler: impl Fn(&str, &str, usize) -> (u16, Vec<(&'static str, String)>) + Send + Sync + 'static,
) -> Local {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let base = format!("http://{}", server.server_addr().to_ip().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let handler: Arc<Handler> = Arc::new(handler);
    let h = hits.clone();
    std::thread::spawn(move || {
        for req in server.incoming_requests() {
            let n = h.fetch_add(1, Ordering::SeqCst);
            let handler = handler.clone();
            std::thread::spawn(move || {
                let (status, headers) = handler(req.method().as_str(), req.url(), n);
                let mut resp = tiny_http::Response::from_string("body").with_status_code(status);
                for (k, v) in headers {
                    resp.add_header(tiny_http::Header::from_bytes(k, v).unwrap());
                }
                let _ = req.respond(resp);
            });
        }
    });
    Local { base, hits }
}

fn fast() -> Options {
    Options {
        per_host: 4,
        delay: Duration::ZERO,
        timeout: Duration::from_secs(3),
        retries: 2,
        backoff: Duration::from_millis(10),
        max_wait: Duration::from_secs(5),
        workers: 4,
        cache: None,
        max_age: Duration::from_secs(3600),
        env_proxy: false,
    }
}

fn one(url: &str, opts: &Options) -> Outcome {
    Checker::new(opts).run(std::iter::once(url)).remove(0)
}

fn link(url: &str) -> Outbound {
    Outbound {
        url: url.to_string(),
        at: vec![
            Diagnostic::warning("site/stories/a.md", 7, 5, ""),
            Diagnostic::warning("site/guides/b.md", 12, 3, ""),
        ],
    }
}

#[test]
fn a_200_is_ok_with_one_head_request() {
    let s = serve(|m, _, _| (if m == "HEAD" { 200 } else { 500 }, vec![]));
    assert_eq!(one(&format!("{}/page", s.base), &fast()), Outcome::Ok);
    assert_eq!(s.hits.load(Ordering::SeqCst), 1);
}

#[test]
fn a_404_is_a_warning_at_every_place_the_link_is_written_and_an_error_when_strict() {
    let s = serve(|_, _, _| (404, vec![]));
    let url = format!("{}/gone", s.base);
    let report = check_external(&[link(&url)], &fast(), false);
    let d = &report.diagnostics;
    assert_eq!(d.len(), 2, "{d:?}");
    assert!(d.iter().all(|d| d.severity == Severity::Warning));
    assert_eq!(
        d.iter()
            .map(|d| format!("{}:{}:{}", d.path.display(), d.line, d.col))
            .collect::<Vec<_>>(),
        ["site/guides/b.md:12:3", "site/stories/a.md:7:5"]
    );
    assert_eq!(
        d[0].message,
        format!("dead link: {url} answers 404 (Not Found)")
    );
    // HEAD, then GET in case the server refuses HEAD: both 404.
    assert_eq!(s.hits.load(Ordering::SeqCst), 2);
    let strict = check_external(&[link(&url)], &fast(), true);
    assert!(strict.diagnostics.iter().all(Diagnostic::is_error));
}

#[test]
fn a_server_that_refuses_head_is_asked_with_get() {
    let s = serve(|m, _, _| (if m == "HEAD" { 405 } else { 200 }, vec![]));
    assert_eq!(one(&format!("{}/x", s.base), &fast()), Outcome::Ok);
    assert_eq!(s.hits.load(Ordering::SeqCst), 2);
}

#[test]
fn a_500_is_retried_with_backoff_until_it_answers() {
    let s = serve(|_, _, n| (if n < 2 { 500 } else { 200 }, vec![]));
    assert_eq!(one(&format!("{}/flaky", s.base), &fast()), Outcome::Ok);
    assert_eq!(s.hits.load(Ordering::SeqCst), 3);
    // Without retries the same server is reported.
    let s = serve(|_, _, n| (if n < 2 { 500 } else { 200 }, vec![]));
    let opts = Options {
        retries: 0,
        ..fast()
    };
    assert_eq!(
        one(&format!("{}/flaky", s.base), &opts),
        Outcome::Dead { status: 500 }
    );
}

#[test]
fn a_429_waits_as_long_as_retry_after_asks() {
    let s = serve(|_, _, n| {
        if n == 0 {
            (429, vec![("Retry-After", "1".to_string())])
        } else {
            (200, vec![])
        }
    });
    let start = Instant::now();
    assert_eq!(one(&format!("{}/busy", s.base), &fast()), Outcome::Ok);
    assert!(
        start.elapsed() >= Duration::from_millis(950),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(s.hits.load(Ordering::SeqCst), 2);
    // A wait longer than we accept: reported as rate limited, no second request.
    let s = serve(|_, _, _| (429, vec![("Retry-After", "3600".to_string())]));
    let start = Instant::now();
    match one(&format!("{}/busy", s.base), &fast()) {
        Outcome::Failed { reason } => assert!(reason.contains("wait 3600 s"), "{reason}"),
        o => panic!("{o:?}"),
    }
    assert!(start.elapsed() < Duration::from_secs(10));
    assert_eq!(s.hits.load(Ordering::SeqCst), 1);
}

/// `secs` since 1970 as an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn imf_date(secs: u64) -> String {
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    let names = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{weekday}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        names[(month - 1) as usize],
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

#[test]
fn retry_after_is_read_as_seconds_or_as_an_http_date() {
    let sunday = 784_111_777; // 1994-11-06 08:49:37 UTC
    assert_eq!(imf_date(sunday), "Sun, 06 Nov 1994 08:49:37 GMT");
    for form in [
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
    ] {
        assert_eq!(http_date(form), Some(sunday), "{form}");
    }
    let now = std::time::UNIX_EPOCH + Duration::from_secs(sunday);
    assert_eq!(
        retry_after_at("Sun, 06 Nov 1994 08:50:07 GMT", now),
        Some(Duration::from_secs(30))
    );
    assert_eq!(
        retry_after_at("Sat, 05 Nov 1994 08:49:37 GMT", now),
        Some(Duration::ZERO)
    );
    assert_eq!(retry_after_at(" 120 ", now), Some(Duration::from_secs(120)));
    assert_eq!(imf_date(951_782_400), "Tue, 29 Feb 2000 00:00:00 GMT");
    assert_eq!(
        http_date("Tue, 29 Feb 2000 00:00:00 GMT"),
        Some(951_782_400)
    );
    for bad in [
        "soon",
        "Sun, 06 Nov 1994 25:00:00 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT",
        "",
    ] {
        assert_eq!(retry_after_at(bad, now), None, "{bad}");
    }
}

#[test]
fn a_429_with_an_http_date_waits_until_that_date() {
    let s = serve(|_, _, n| {
        if n == 0 {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs();
            (429, vec![("Retry-After", imf_date(now + 2))])
        } else {
            (200, vec![])
        }
    });
    let start = Instant::now();
    assert_eq!(one(&format!("{}/busy", s.base), &fast()), Outcome::Ok);
    // Whole seconds: the date is 1 to 2 s away when it is read.
    assert!(
        start.elapsed() >= Duration::from_millis(950),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(s.hits.load(Ordering::SeqCst), 2);
    // A date far ahead: reported as rate limited, no second request.
    let s = serve(|_, _, _| {
        (
            429,
            vec![("Retry-After", "Fri, 01 Jan 2100 00:00:00 GMT".to_string())],
        )
    });
    match one(&format!("{}/busy", s.base), &fast()) {
        Outcome::Failed { reason } => assert!(reason.contains("rate limited"), "{reason}"),
        o => panic!("{o:?}"),
    }
    assert_eq!(s.hits.load(Ordering::SeqCst), 1);
}

#[test]
fn a_429_holds_back_every_request_to_that_host() {
    let starts: Arc<Mutex<Vec<(usize, Instant)>>> = Arc::default();
    let st = starts.clone();
    let s = serve(move |_, _, n| {
        st.lock().unwrap().push((n, Instant::now()));
        if n == 0 {
            (429, vec![("Retry-After", "1".to_string())])
        } else {
            (200, vec![])
        }
    });
    let opts = Options {
        per_host: 1,
        ..fast()
    };
    let urls: Vec<String> = (0..3).map(|i| format!("{}/p{i}", s.base)).collect();
    let out = Checker::new(&opts).run(urls.iter().map(String::as_str));
    assert!(out.iter().all(|o| *o == Outcome::Ok), "{out:?}");
    let starts = starts.lock().unwrap();
    let first = starts.iter().find(|(n, _)| *n == 0).unwrap().1;
    for (n, t) in starts.iter().filter(|(n, _)| *n > 0) {
        assert!(
            *t - first >= Duration::from_millis(950),
            "request {n} did not wait"
        );
    }
}

#[test]
fn permanent_redirects_are_reported_with_their_target_and_temporary_ones_followed() {
    let s = serve(|_, path, _| match path {
        "/old" => (301, vec![("Location", "/new".to_string())]),
        "/tmp" => (302, vec![("Location", "/new".to_string())]),
        _ => (200, vec![]),
    });
    assert_eq!(
        one(&format!("{}/old", s.base), &fast()),
        Outcome::Moved {
            to: format!("{}/new", s.base)
        }
    );
    assert_eq!(one(&format!("{}/tmp", s.base), &fast()), Outcome::Ok);
    let url = format!("{}/old", s.base);
    let d = check_external(&[link(&url)], &fast(), false).diagnostics;
    assert_eq!(
        d[0].message,
        format!("link to {url} is permanently redirected to {}/new", s.base)
    );
    assert_eq!(
        d[0].help.as_deref(),
        Some(&*format!(
            "write `{}/new` so readers go there directly",
            s.base
        ))
    );
}

#[test]
fn a_redirect_loop_is_caught() {
    let s = serve(|_, path, _| match path {
        "/a" => (302, vec![("Location", "/b".to_string())]),
        _ => (302, vec![("Location", "/a".to_string())]),
    });
    match one(&format!("{}/a", s.base), &fast()) {
        Outcome::Failed { reason } => assert!(reason.starts_with("redirect loop: "), "{reason}"),
        o => panic!("{o:?}"),
    }
    assert!(s.hits.load(Ordering::SeqCst) <= 4);
}

/// QA s9 Q133: twelve distinct redirects in a row are too many, not a loop.
#[test]
fn a_long_chain_of_redirects_is_too_many_not_a_loop() {
    let s = serve(|_, path, _| {
        let n: usize = path.trim_start_matches("/chain").parse().unwrap_or(0);
        (301, vec![("Location", format!("/chain{}", n + 1))])
    });
    match one(&format!("{}/chain0", s.base), &fast()) {
        Outcome::Failed { reason } => {
            assert!(
                reason.starts_with("too many redirects (11, lmp follows 10): "),
                "{reason}"
            );
            assert!(!reason.contains("loop"), "{reason}");
            assert!(reason.contains("/chain0 → … → "), "{reason}");
        }
        o => panic!("{o:?}"),
    }
}

/// QA s9 Q133: a `Location` header that is not valid HTTP is said in plain words.
#[test]
fn a_malformed_answer_is_said_in_plain_words() {
    use std::io::Write as _;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for c in listener.incoming().flatten() {
            let mut c = c;
            let mut buf = [0u8; 1024];
            let _ = c.read(&mut buf);
            let _ = c
                .write_all(b"HTTP/1.1 301 Moved\r\nLocation: /a\x01b\r\nContent-Length: 0\r\n\r\n");
        }
    });
    match one(&format!("http://{addr}/bad"), &fast()) {
        Outcome::Failed { reason } => assert!(
            reason.starts_with(
                "the site's answer is not valid HTTP (a header or the status line is malformed)"
            ),
            "{reason}"
        ),
        o => panic!("{o:?}"),
    }
}

#[test]
fn a_host_that_never_answers_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for c in listener.incoming().flatten() {
            let mut c = c;
            let mut buf = [0u8; 1024];
            let _ = c.read(&mut buf);
            held.push(c); // never answers
        }
    });
    let opts = Options {
        timeout: Duration::from_millis(300),
        retries: 1,
        ..fast()
    };
    let start = Instant::now();
    match one(&format!("http://{addr}/slow"), &opts) {
        Outcome::Failed { reason } => {
            assert!(reason.contains("no answer within 0.3 s"), "{reason}")
        }
        o => panic!("{o:?}"),
    }
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn a_second_run_within_the_expiry_asks_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let opts = Options {
        cache: Some(dir.path().join(".lmp-cache/links.json")),
        ..fast()
    };
    let ok = serve(|_, _, _| (200, vec![]));
    let gone = serve(|_, _, _| (410, vec![]));
    let down = serve(|_, _, _| (503, vec![]));
    let links = [
        link(&format!("{}/a", ok.base)),
        link(&format!("{}/b", gone.base)),
        link(&format!("{}/c", down.base)),
    ];
    let first = check_external(&links, &opts, false);
    assert_eq!((first.checked, first.cached), (3, 0));
    let hits = |l: &Local| l.hits.load(Ordering::SeqCst);
    let before = (hits(&ok), hits(&gone), hits(&down));
    let second = check_external(&links, &opts, false);
    // The 200 and the 410 come from the cache; the 503 may be over by now: asked again.
    assert_eq!((second.checked, second.cached), (1, 2));
    assert_eq!((hits(&ok), hits(&gone)), (before.0, before.1));
    assert!(hits(&down) > before.2);
    assert_eq!(first.diagnostics, second.diagnostics);
    // Past the expiry everything is asked again.
    let expired = Options {
        max_age: Duration::ZERO,
        ..opts
    };
    let third = check_external(&links, &expired, false);
    assert_eq!((third.checked, third.cached), (3, 0));
    assert!(hits(&ok) > before.0);
}

#[test]
fn at_most_per_host_requests_are_in_flight_to_one_host() {
    let active = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let (a, m) = (active.clone(), most.clone());
    let s = serve(move |_, _, _| {
        let now = a.fetch_add(1, Ordering::SeqCst) + 1;
        m.fetch_max(now, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(150));
        a.fetch_sub(1, Ordering::SeqCst);
        (200, vec![])
    });
    let opts = Options {
        per_host: 2,
        workers: 8,
        ..fast()
    };
    let urls: Vec<String> = (0..8).map(|i| format!("{}/p{i}", s.base)).collect();
    let out = Checker::new(&opts).run(urls.iter().map(String::as_str));
    assert!(out.iter().all(|o| *o == Outcome::Ok));
    // Two at most (without the limit, up to 8 would be in flight).
    assert!((1..=2).contains(&most.load(Ordering::SeqCst)), "{most:?}");
}

#[test]
fn requests_to_one_host_are_spaced_by_the_delay() {
    let starts: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let st = starts.clone();
    let s = serve(move |_, _, _| {
        st.lock().unwrap().push(Instant::now());
        (200, vec![])
    });
    let opts = Options {
        per_host: 4,
        delay: Duration::from_millis(150),
        ..fast()
    };
    let urls: Vec<String> = (0..4).map(|i| format!("{}/p{i}", s.base)).collect();
    Checker::new(&opts).run(urls.iter().map(String::as_str));
    let mut starts = starts.lock().unwrap().clone();
    starts.sort();
    // Three gaps of 150 ms between sends; arrival times jitter under load, so the whole span
    // is checked with slack (without the delay it is a few ms).
    let span = starts[3] - starts[0];
    assert!(span >= Duration::from_millis(300), "{span:?}");
}
