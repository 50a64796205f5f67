//! `lmp check --external` end to end, against a local server on 127.0.0.1 (never the real
//! network): warnings at the markdown `file:line:col` of every place a link is written, errors
//! and exit code 1 with `--strict`, and the results kept in `.lmp-cache/links.json` so a second
//! run asks nothing.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::harness::{Output, Project};

const STORY: &str =
    "---\ntitle: Out\ndate: 2020-01-01\nsummary: Outbound links.\ntopics: [ubt-basics]\n---\n";

/// A server answering 200 on `/ok`, 301 to `/ok` on `/old` and 404 elsewhere; the number of
/// requests it got.
fn server() -> (String, Arc<AtomicUsize>) {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let base = format!("http://{}", server.server_addr().to_ip().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    std::thread::spawn(move || {
        for req in server.incoming_requests() {
            h.fetch_add(1, Ordering::SeqCst);
            let resp = match req.url() {
                "/ok" => tiny_http::Response::from_string("ok"),
                "/old" => tiny_http::Response::from_string("moved")
                    .with_status_code(301)
                    .with_header(tiny_http::Header::from_bytes("Location", "/ok").unwrap()),
                _ => tiny_http::Response::from_string("no").with_status_code(404),
            };
            let _ = req.respond(resp);
        }
    });
    (base, hits)
}

/// `lmp` with the arguments, the machine's proxy settings left out (the tests' servers are local).
fn without_proxies(p: &Project, args: &[&str]) -> std::process::Command {
    let mut c = p.command(args);
    for v in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        c.env_remove(v);
    }
    c
}

fn check(p: &Project, args: &[&str]) -> Output {
    let mut c = without_proxies(p, args);
    c.env("LMP_CACHE_DIR", p.path(".lmp-cache"));
    Output::of(c.output().unwrap())
}

#[test]
fn outbound_links_are_checked_reported_where_written_and_kept() {
    let (base, hits) = server();
    let p = Project::fixture("basic");
    let line7 = format!("Read [this]({base}/ok) and [that]({base}/gone).");
    let col = line7.find("[that]").unwrap() + 1;
    p.write(
        "site/stories/out.md",
        &format!("{STORY}{line7}\n\nAlso [the old one]({base}/old).\n"),
    );
    p.write(
        "site/stories/again.md",
        &format!("{STORY}\nOnce more: [gone]({base}/gone).\n"),
    );
    // Without --external nothing is asked.
    p.ok(&["check"]);
    assert_eq!(hits.load(Ordering::SeqCst), 0);

    let out = check(&p, &["check", "--external"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let e = &out.stderr;
    for want in [
        format!(
            "site/stories/out.md:7:{col}: warning: dead link: {base}/gone answers 404 (Not Found)"
        ),
        format!(
            "site/stories/again.md:8:12: warning: dead link: {base}/gone answers 404 (Not Found)"
        ),
        format!(
            "site/stories/out.md:9:6: warning: link to {base}/old is permanently redirected to {base}/ok"
        ),
        format!("= help: write `{base}/ok` so readers go there directly"),
        "Checked 3 outbound links (0 from the cache)".to_string(),
        ": 2 links with problems".to_string(),
    ] {
        assert!(e.contains(&want), "missing {want:?} in:\n{e}");
    }
    assert!(!e.contains(&format!("{base}/ok answers")), "{e}");
    // QA Q39: once per place written, not again at the feed that shows the stories' bodies.
    assert_eq!(
        e.matches(&format!("dead link: {base}/gone")).count(),
        2,
        "{e}"
    );
    assert!(!e.contains("atom.xml"), "{e}");
    assert!(p.exists(".lmp-cache/links.json"));
    let asked = hits.load(Ordering::SeqCst);

    // Within the expiry: the same report, no request; --strict makes it exit 1.
    let again = check(&p, &["check", "--external", "--strict"]);
    assert_eq!(again.code, 1, "{}", again.stderr);
    assert!(
        again.stderr.contains(&format!(
            "site/stories/out.md:7:{col}: error: dead link: {base}/gone"
        )),
        "{}",
        again.stderr
    );
    assert!(
        again
            .stderr
            .contains("Checked 3 outbound links (3 from the cache)"),
        "{}",
        again.stderr
    );
    assert_eq!(hits.load(Ordering::SeqCst), asked);

    // --max-age 0 asks again.
    let fresh = check(&p, &["check", "--external", "--max-age", "0"]);
    assert!(
        fresh.stderr.contains("(0 from the cache)"),
        "{}",
        fresh.stderr
    );
    assert!(hits.load(Ordering::SeqCst) > asked);

    // --strict alone is refused by the command line.
    assert_eq!(check(&p, &["check", "--strict"]).code, 2);
}

/// A dead link a site's template writes (its own `templates/base.html`) is one warning at the
/// template's line, not one per page template with no line (QA Q120's rule, for outbound links).
#[test]
fn a_dead_link_in_a_template_is_reported_at_its_line_once() {
    let (base, _) = server();
    let p = Project::fixture("basic");
    let theme_base = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/lmp/templates/base.html"),
    )
    .unwrap();
    let search = "<li><a href=\"{{ site.search_url }}\">{{ t.search }}</a></li>";
    assert!(theme_base.contains(search));
    let link = format!("<li><a href=\"{base}/gone\">Union site</a></li>");
    let text = theme_base.replace(search, &link);
    p.write("site/templates/base.html", &text);
    let (line, col) = text
        .lines()
        .enumerate()
        .find_map(|(i, l)| l.find(&format!("{base}/gone")).map(|c| (i + 1, c + 1)))
        .unwrap();
    let out = check(&p, &["check", "--external"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let want = format!(
        "site/templates/base.html:{line}:{col}: warning: dead link: {base}/gone answers 404 (Not Found)"
    );
    assert_eq!(out.stderr.matches(&want).count(), 1, "{}", out.stderr);
    assert_eq!(
        out.stderr
            .matches(&format!("dead link: {base}/gone"))
            .count(),
        1,
        "{}",
        out.stderr
    );
}

/// The results are kept in the folder `cache_dir` of config.yaml names (like the images), when
/// `$LMP_CACHE_DIR` does not say otherwise.
#[test]
fn the_results_are_kept_in_the_configured_cache_dir() {
    let (base, hits) = server();
    let p = Project::fixture("basic");
    // Relative to the site folder, outside it (a cache inside it is refused: lmp never writes
    // into site/).
    p.append("site/config.yaml", "cache_dir: ../build-cache\n");
    p.write(
        "site/stories/out.md",
        &format!("{STORY}Read [this]({base}/ok).\n"),
    );
    let run = || {
        let mut c = without_proxies(&p, &["check", "--external"]);
        c.env_remove("LMP_CACHE_DIR");
        Output::of(c.output().unwrap())
    };
    let out = run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(p.exists("build-cache/links.json"), "{}", out.stderr);
    assert!(!p.exists("site/build-cache"));
    assert!(!p.exists(".lmp-cache/links.json"));
    let asked = hits.load(Ordering::SeqCst);
    let again = run();
    assert!(
        again.stderr.contains("(1 from the cache)"),
        "{}",
        again.stderr
    );
    assert_eq!(hits.load(Ordering::SeqCst), asked);
}

/// An address typed in the text, not written as a link, is asked about with `--external` and
/// reported where it is written (QA s12: it was plain text, never checked).
#[test]
fn an_address_typed_in_the_text_is_checked_with_external() {
    let (base, hits) = server();
    let p = Project::fixture("basic");
    p.write(
        "site/stories/out.md",
        &format!("{STORY}The form moved: {base}/gone.\n"),
    );
    p.ok(&["check"]);
    assert_eq!(hits.load(Ordering::SeqCst), 0);
    let out = check(&p, &["check", "--external"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let want = format!("site/stories/out.md:7:17: warning: dead link: {base}/gone answers 404");
    assert!(
        out.stderr.contains(&want),
        "missing {want:?} in:\n{}",
        out.stderr
    );
    assert!(hits.load(Ordering::SeqCst) > 0);
}
