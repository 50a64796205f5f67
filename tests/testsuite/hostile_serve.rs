//! A hostile pass on `lmp serve` and on the places lmp keeps beside an output folder: requests
//! that try to leave the site or come from another site's page, a crowd of live-reload clients,
//! and folders of someone else's that have the names of lmp's own. Each test failed before the
//! fix it names.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::harness::Project;
use crate::serve::{Serve, raw};

/// A GET of `path` on a connection of its own, addressed to `host`.
fn get_as(addr: &str, host: &str, path: &str) -> crate::serve::Resp {
    raw(
        addr,
        format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

#[test]
fn a_folder_asked_for_with_doubled_slashes_redirects_inside_the_site() {
    // `//stories` was redirected to `//stories/`, which a browser reads as another site's
    // address (the host `stories`): an open redirect from the preview.
    let p = Project::fixture("basic");
    let s = Serve::start(&p, &[]);
    for (path, to) in [
        ("//stories", "/stories/"),
        ("///stories?x=1", "/stories/?x=1"),
        ("/stories//first-story", "/stories/first-story/"),
        ("http://127.0.0.1//stories", "/stories/"),
    ] {
        let r = get_as(&s.addr, &s.addr, path);
        assert_eq!(r.status, 301, "{path}: {}", r.text());
        assert_eq!(r.header("Location"), Some(to), "{path}");
    }
}

#[test]
fn serve_on_loopback_refuses_requests_addressed_to_another_sites_name() {
    // DNS rebinding: a page of evil.example whose name now resolves to 127.0.0.1 sends requests
    // addressed to evil.example; it must not read the preview (drafts included).
    let p = Project::fixture("basic");
    let s = Serve::start(&p, &["--drafts"]);
    let port = s.addr.rsplit(':').next().unwrap().to_string();
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("localhost.evil.example:{port}"),
    ] {
        for path in [
            "/",
            "/stories/draft-story/",
            "/__lmp/status",
            "/__lmp/poll?gen=0",
        ] {
            let r = get_as(&s.addr, &host, path);
            assert_eq!(r.status, 403, "{host} {path}: {}", r.text());
            assert!(r.text().contains("DNS rebinding"), "{}", r.text());
            assert!(!r.text().contains("Draft"), "{}", r.text());
        }
    }
    for host in [
        s.addr.clone(),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
        format!("preview.localhost:{port}"),
        format!("mybox:{port}"),
    ] {
        let r = get_as(&s.addr, &host, "/stories/draft-story/");
        assert_eq!(r.status, 200, "{host}: {}", r.text());
    }
    // Listening on every interface on purpose, the site is reached by any name.
    let everyone = Serve::start(&p, &["--bind", "0.0.0.0"]);
    let r = get_as(&everyone.addr, "lmp.example.org:1111", "/");
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn a_page_is_answered_behind_200_live_reload_clients_and_trickling_heads() {
    // With 200 long-polls and 40 half-sent request heads, the accept queue was full and the
    // page asked for next was reset (and so were 40 of the live-reload clients).
    let p = Project::fixture("basic");
    let s = Serve::start(&p, &[]);
    let g = s.generation();
    let mut polls = Vec::new();
    for _ in 0..200 {
        let mut c = TcpStream::connect(&s.addr).unwrap();
        let req = format!(
            "GET /__lmp/poll?gen={g} HTTP/1.1\r\nHost: {}\r\n\r\n",
            s.addr
        );
        c.write_all(req.as_bytes()).unwrap();
        polls.push(c);
    }
    let mut trickling = Vec::new();
    for _ in 0..40 {
        let mut c = TcpStream::connect(&s.addr).unwrap();
        c.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
        trickling.push(c);
    }
    page_is_answered(&s.addr);
    // A change: every live-reload client gets an answer (at once, or the new generation).
    let story = p.read("site/stories/first-story.md");
    p.write(
        "site/stories/first-story.md",
        &format!("{story}\nOne more line.\n"),
    );
    for (i, mut c) in polls.into_iter().enumerate() {
        c.set_read_timeout(Some(Duration::from_secs(40))).unwrap();
        let mut head = [0u8; 12];
        let got = c.read_exact(&mut head);
        assert!(
            got.is_ok() && &head == b"HTTP/1.1 200",
            "live-reload client {i} got no answer ({got:?}, {:?})\n{}",
            String::from_utf8_lossy(&head),
            s.stderr()
        );
    }
    drop(trickling);
}

#[test]
fn a_folder_or_file_with_the_name_of_lmps_own_places_is_never_deleted() {
    // `.public.lmp-staging`, `.public.lmp-spare` and `.public.lmp-old` are where lmp keeps its
    // staging folder, the previous output and the output being swapped out. A folder of someone
    // else's with one of these names (and whatever was in it) was deleted by the next build.
    let p = Project::fixture("basic");
    for name in [
        ".public.lmp-staging",
        ".public.lmp-spare",
        ".public.lmp-old",
    ] {
        for folder in [true, false] {
            if folder {
                p.write(&format!("{name}/letter.txt"), "dear");
            } else {
                p.write(name, "dear");
            }
            for args in [&["build"][..], &["build", "--force"]] {
                let o = p.fails(args);
                assert!(
                    o.stderr
                        .contains("is in the way, and lmp did not make this")
                        && o.stderr.contains(name)
                        && o.stderr.contains("--force does not override this"),
                    "{name}: {}",
                    o.stderr
                );
            }
            let kept = if folder {
                format!("{name}/letter.txt")
            } else {
                name.to_string()
            };
            assert_eq!(p.read(&kept), "dear", "{name}");
            assert!(!p.exists("public"));
            p.remove(name);
        }
    }
    // lmp's own: the spare is written over, build after build, and a staging folder left by a
    // killed build (it carries the marker from the start) is removed.
    p.ok(&["build"]);
    p.ok(&["build"]);
    assert!(p.exists(".public.lmp-spare/.lmp-output"));
    std::fs::rename(p.path(".public.lmp-spare"), p.path(".public.lmp-staging")).unwrap();
    p.ok(&["build"]);
    assert!(!p.exists(".public.lmp-staging"));
    // An empty folder holds nothing to lose.
    std::fs::create_dir(p.path(".public.lmp-old")).unwrap();
    p.ok(&["build"]);
    assert!(!p.exists(".public.lmp-old"));
}

#[test]
fn a_page_is_answered_while_40_clients_stop_reading_a_big_file() {
    // A client that asks for a big file and stops reading (a paused video, a hostile client)
    // held its thread for the 30 s write timeout; 40 of them made a page wait over a minute.
    let p = Project::fixture("basic");
    p.write_bytes("site/static/files/big.bin", &vec![b'x'; 32 << 20]);
    let s = Serve::start(&p, &[]);
    let mut stalled = Vec::new();
    for _ in 0..40 {
        let mut c = TcpStream::connect(&s.addr).unwrap();
        let req = format!("GET /files/big.bin HTTP/1.1\r\nHost: {}\r\n\r\n", s.addr);
        c.write_all(req.as_bytes()).unwrap();
        stalled.push(c);
    }
    // Let every thread fill its client's buffers and block.
    std::thread::sleep(Duration::from_millis(300));
    page_is_answered(&s.addr);
    let g = s.generation();
    assert_eq!(s.get(&format!("/__lmp/poll?gen={}", g + 1)).status, 200);
    // A client that reads gets the whole file.
    let r = s.get("/files/big.bin");
    assert_eq!((r.status, r.body.len()), (200, 32 << 20));
    drop(stalled);
}

#[test]
fn serve_says_in_plain_words_where_it_cannot_listen() {
    let p = Project::fixture("basic");
    // 192.0.2.1 is a documentation address, on no machine.
    let o = p.fails(&["serve", "--bind", "192.0.2.1", "--port", "0"]);
    assert!(
        o.stderr
            .contains("192.0.2.1 is not an address of this machine"),
        "{}",
        o.stderr
    );
    let o = p.fails(&["serve", "--bind", "127.0.0.1:8080"]);
    assert!(
        o.stderr.contains("use --bind 127.0.0.1 --port 8080"),
        "{}",
        o.stderr
    );
    // An IPv4 loopback address written the IPv6 way is loopback: no warning, and requests for
    // another site's name are refused there too.
    if let Ok(s) = Serve::try_start(&p, &["--bind", "::ffff:127.0.0.1"]) {
        assert!(!s.stderr().contains("not a loopback"), "{}", s.stderr());
        let r = get_as(&s.addr, "evil.example", "/");
        assert_eq!(r.status, 403, "{}", r.text());
    }
}

#[test]
fn an_image_cache_inside_the_site_or_an_output_inside_the_cache_is_refused() {
    // `LMP_CACHE_DIR=site/cache` wrote the cache into the site (then warned about its files as
    // content; under static/ they were published), and `--out <cache>/images --force` replaced
    // the cache's folder with the site.
    let p = Project::fixture("basic");
    for (env, config) in [("site/cache", None), ("", Some("cache_dir: static/c\n"))] {
        let before = p.read("site/config.yaml");
        if let Some(c) = config {
            p.append("site/config.yaml", c);
        }
        let mut c = p.command(&["build"]);
        if env.is_empty() {
            c.env_remove("LMP_CACHE_DIR");
        } else {
            c.env("LMP_CACHE_DIR", env);
        }
        let o = crate::harness::Output::of(c.output().unwrap());
        assert_eq!(o.code, 1, "{}", o.stderr);
        assert!(
            o.stderr.contains("refusing to keep the image cache in")
                && o.stderr.contains("it is inside the site folder"),
            "{}",
            o.stderr
        );
        assert!(!p.exists("site/cache") && !p.exists("site/static/c") && !p.exists("public"));
        p.write("site/config.yaml", &before);
    }
    // serve says so and stops, before it writes anything.
    let mut child = p
        .command(&["serve", "--port", "0"])
        .env("LMP_CACHE_DIR", "site/cache")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("lmp serve kept running with its cache inside the site");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(1), "{err}");
    assert!(err.contains("it is inside the site folder"), "{err}");
    assert!(!p.exists("site/cache"));
    // The output inside the cache, even with --force.
    let cache = p.path("cache");
    let env = [("LMP_CACHE_DIR", cache.to_str().unwrap())];
    p.ok_env(&["build"], &env);
    let cached = std::fs::read_dir(p.path("cache/images")).unwrap().count();
    assert!(cached > 0);
    for args in [
        &["build", "--out", "cache/images"][..],
        &["build", "--out", "cache/images", "--force"],
    ] {
        let o = p.run_env(args, &env);
        assert_eq!(o.code, 1, "{}", o.stderr);
        assert!(
            o.stderr.contains("it is inside the image cache"),
            "{}",
            o.stderr
        );
    }
    assert_eq!(
        std::fs::read_dir(p.path("cache/images")).unwrap().count(),
        cached
    );
    assert!(!p.exists("cache/images/index.html"));
}

#[test]
fn serve_follows_a_site_link_pointed_at_another_folder() {
    // `site -> releases/a`, then `ln -sfn releases/b site`: serve went on serving a and ignored
    // every edit of b.
    let p = Project::fixture("basic");
    std::fs::create_dir(p.path("releases")).unwrap();
    std::fs::rename(p.path("site"), p.path("releases/a")).unwrap();
    crate::harness::copy_dir(&p.path("releases/a"), &p.path("releases/b"));
    let config = p.read("releases/b/config.yaml");
    let title = config.lines().find(|l| l.starts_with("title:")).unwrap();
    p.write(
        "releases/b/config.yaml",
        &config.replace(title, "title: Release B"),
    );
    std::os::unix::fs::symlink("releases/a", p.path("site")).unwrap();
    let s = Serve::start(&p, &[]);
    assert!(!s.get("/").text().contains("Release B"));
    let g = s.generation();
    // As `ln -sfn` does it: a new link renamed over the old one.
    std::os::unix::fs::symlink("releases/b", p.path("site.new")).unwrap();
    std::fs::rename(p.path("site.new"), p.path("site")).unwrap();
    s.wait_for(g, |_| s.get("/").text().contains("Release B"));
    let g = s.generation();
    let story = p.read("releases/b/stories/first-story.md");
    p.write(
        "releases/b/stories/first-story.md",
        &format!("{story}\nEdited in release b.\n"),
    );
    s.wait_for(g, |_| {
        s.get("/stories/first-story/")
            .text()
            .contains("Edited in release b.")
    });
}

#[test]
fn an_output_named_like_lmps_own_places_is_refused() {
    // `--out .public.lmp-lock` made the lock of `public` a folder (every build of public then
    // failed: "could not create the lock file"); `--out .public.lmp-spare --force` built into
    // the folder the build of public writes over.
    let p = Project::fixture("basic");
    p.ok(&["build"]);
    for out in [
        ".public.lmp-lock",
        ".public.lmp-spare",
        ".public.lmp-staging",
        ".public.lmp-old",
        ".public.lmp-manifest",
    ] {
        for args in [
            &["build", "--out", out][..],
            &["build", "--out", out, "--force"],
        ] {
            let o = p.fails(args);
            assert!(
                o.stderr
                    .contains("that name is one lmp gives to its own files"),
                "{out}: {}",
                o.stderr
            );
        }
    }
    assert!(!p.exists(".public.lmp-lock"));
    p.ok(&["build"]);
}

#[test]
fn an_output_link_that_leads_nowhere_is_said_to_be_one() {
    // It was "public exists and is not a folder … delete or rename the file public".
    let p = Project::fixture("basic");
    std::os::unix::fs::symlink("www/gone", p.path("public")).unwrap();
    let o = p.fails(&["build"]);
    assert!(
        o.stderr
            .contains("public is a link to www/gone, which does not exist")
            && o.stderr.contains("create the folder www/gone it leads to"),
        "{}",
        o.stderr
    );
    assert!(std::fs::symlink_metadata(p.path("public")).is_ok());
}

/// A page of the site is answered (200) within 15 s while the server is under the test's load.
fn page_is_answered(addr: &str) {
    let started = Instant::now();
    let r = crate::serve::get(addr, "/stories/");
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "the page took {:?}",
        started.elapsed()
    );
}
