use super::*;

fn site<'a>(files: &'a HashSet<&'a str>, records: &'a Records, base: &'a str) -> Site<'a> {
    let path_start = base.find("://").map_or(0, |i| i + 3);
    let base_path = base[path_start..]
        .find('/')
        .map_or("/", |i| &base[path_start + i..]);
    Site {
        base_url: base,
        base_path,
        files,
        records,
        unbuilt: None,
        config: None,
        templates: None,
    }
}

#[test]
fn resolves_every_link_form() {
    let files: HashSet<&str> = ["index.html", "guides/a/index.html", "files/x.pdf"].into();
    let records = Records::new();
    let s = site(&files, &records, "https://e.org/lmp/");
    let page = "guides/b/index.html";
    let int = |p: &str, f: Option<&str>| Target::Internal {
        path: p.into(),
        fragment: f.map(String::from),
    };
    assert_eq!(s.resolve(page, "/lmp/guides/a/"), int("guides/a/", None));
    assert_eq!(s.resolve(page, "../a/"), int("guides/a/", None));
    assert_eq!(
        s.resolve(page, "../a/index.html#x"),
        int("guides/a/index.html", Some("x"))
    );
    assert_eq!(
        s.resolve(page, "../../files/x.pdf?v=1"),
        int("files/x.pdf", None)
    );
    assert_eq!(s.resolve(page, "#step"), int(page, Some("step")));
    assert_eq!(
        s.resolve(page, "https://e.org/lmp/guides/a/"),
        int("guides/a/", None)
    );
    assert_eq!(s.resolve(page, "https://e.org/lmp"), int("", None));
    // QA Q36: the site's own host over `http://`, or with its default port, is the site.
    for own in [
        "http://e.org/lmp/guides/a/",
        "HTTP://E.ORG/lmp/guides/a/",
        "https://e.org:443/lmp/guides/a/",
        "http://e.org:80/lmp/guides/a/",
    ] {
        assert_eq!(s.resolve(page, own), int("guides/a/", None), "{own}");
    }
    assert_eq!(
        s.resolve(page, "https://e.org:8443/lmp/guides/a/"),
        Target::External("https://e.org:8443/lmp/guides/a/".into())
    );
    assert_eq!(
        s.resolve(page, "http://user@e.org/lmp/guides/a/"),
        Target::External("http://user@e.org/lmp/guides/a/".into())
    );
    assert_eq!(
        s.resolve(page, "/guides/a/"),
        Target::OutsideBase("/guides/a/".into())
    );
    assert_eq!(
        s.resolve(page, "https://other.org/x"),
        Target::External("https://other.org/x".into())
    );
    assert_eq!(
        s.resolve(page, "//cdn.org/x"),
        Target::External("https://cdn.org/x".into())
    );
    for skip in [
        "mailto:a@b.org",
        "tel:123",
        "data:image/png;base64,xx",
        "",
        "#",
    ] {
        assert_eq!(s.resolve(page, skip), Target::Skip, "{skip}");
    }
    assert_eq!(s.file_of("guides/a/"), Some("guides/a/index.html".into()));
    assert_eq!(s.file_of("guides/a"), Some("guides/a/index.html".into()));
    assert_eq!(s.file_of(""), Some("index.html".into()));
    assert_eq!(s.file_of("guides/c/"), None);
    assert_eq!(normalize("/a/b/../c/./d"), "/a/c/d");
    assert_eq!(normalize("/../../x"), "/x");
    assert_eq!(normalize("/a/.."), "/");
}

#[test]
fn reports_missing_pages_files_and_ids_with_suggestions() {
    let pages = [
        (
            "guides/run-a-ubt-huddle/index.html",
            "<h2 id=\"step-2\">s</h2><a href=\"#step-2\">ok</a>",
        ),
        (
            "stories/a/index.html",
            "<a href=\"/guides/run-a-ubt-hudle/\">x</a><a href=\"/guides/run-a-ubt-huddle/#step-3\">y</a>\
             <img src=\"/files/missing.pdf\"><a href=\"https://example.net/\">out</a>",
        ),
    ];
    let records: Records = pages
        .iter()
        .map(|(p, h)| (p.to_string(), Arc::new(PageRecord::of(h.as_bytes()))))
        .collect();
    let files: HashSet<&str> = pages.iter().map(|(p, _)| *p).collect();
    let s = site(&files, &records, "https://e.org/");
    let text = "---\ntitle: A\n---\nSee [the guide](/guides/run-a-ubt-hudle/).\n\n<img src=\"/files/missing.pdf\">\n";
    let links = crate::markdown::render(&text[17..], &|_| None).links;
    let path = PathBuf::from("site/stories/a.md");
    let origin = |page: &str| Origin {
        doc: (page == "stories/a/index.html").then(|| DocSource {
            path: &path,
            text,
            body_line: 4,
            links: &links,
            front: &[],
            ids: Some(&[]),
        }),
        template: Some((
            "story.html".into(),
            "themes/lmp/templates/story.html".into(),
        )),
    };
    let (diags, out) = check(&s, &origin, None, true);
    let shown: Vec<String> = diags
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{} {} | {}",
                d.path.display(),
                d.line,
                d.col,
                d.message,
                d.help.clone().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            "site/stories/a.md:4:5 broken link: /guides/run-a-ubt-hudle/ is not a page or file of this site | did you mean `/guides/run-a-ubt-huddle/`?",
            "site/stories/a.md:6:11 missing file: /files/missing.pdf is not a page or file of this site | put the file in the site's static folder as static/files/missing.pdf (it is copied as it is), or fix the path",
            "themes/lmp/templates/story.html:0:0 link to /guides/run-a-ubt-huddle/#step-3: there is no id `step-3` on that page | written by template `story.html` (or a template it includes) on /stories/a/; did you mean `#step-2`?",
        ],
        "{shown:#?}"
    );
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].url, "https://example.net/");
}

/// The escaped HTML of an Atom `<content type="html">` is checked, its relative and `#` links
/// resolved against `xml:base` (the story's page); a broken one that the page shows too is
/// reported once, at the page.
#[test]
fn feed_bodies_are_checked_against_their_xml_base() {
    let pages = [
        (
            "stories/a/index.html",
            "<p id=\"fn-1\">x</p><a href=\"/guides/gone/\">g</a>",
        ),
        ("guides/b/index.html", "<h2 id=\"s\">s</h2>"),
        (
            "stories/atom.xml",
            "<feed><entry><content type=\"html\" xml:base=\"https://e.org/stories/a/\">\
             &lt;a href=&quot;#fn-1&quot;&gt;1&lt;/a&gt; &lt;a href=&quot;../../guides/b/#s&quot;&gt;b&lt;/a&gt; \
             &lt;a href=&quot;/guides/gone/&quot;&gt;g&lt;/a&gt; \
             &lt;img src=&quot;../../images/only-in-feed.png&quot; alt=&quot;&quot;&gt; \
             &lt;a href=&quot;#nope&quot;&gt;n&lt;/a&gt;</content></entry></feed>",
        ),
    ];
    let records: Records = pages
        .iter()
        .map(|(p, h)| (p.to_string(), Arc::new(PageRecord::of(h.as_bytes()))))
        .collect();
    let files: HashSet<&str> = pages.iter().map(|(p, _)| *p).collect();
    let s = site(&files, &records, "https://e.org/");
    let (diags, _) = check(&s, &|_: &str| Origin::default(), None, true);
    let shown: Vec<String> = diags
        .iter()
        .map(|d| format!("{} {}", d.path.display(), d.message))
        .collect();
    assert_eq!(
        shown,
        [
            "stories/a/index.html broken link: /guides/gone/ is not a page or file of this site",
            "stories/atom.xml link to https://e.org/stories/a/#nope: there is no id `nope` on that page",
            "stories/atom.xml missing file: https://e.org/images/only-in-feed.png is not a page or file of this site",
        ],
        "{shown:#?}"
    );
}

/// A record keeps a page's ids (and old-style `name` anchors) joined in one string: each is
/// found, nothing between or around them is, and the ids given twice are listed once each.
#[test]
fn a_record_finds_each_id_of_its_page_and_its_duplicates() {
    let page = r#"<main id="main"><h2 id="b-x">B</h2><a name="legacy"></a><h2 id="a">A</h2>
        <p id="main">again</p><h3 id="b-x">twice</h3><h3 id="b-x">thrice</h3><a href="/x/">x</a>"#;
    let rec = PageRecord::of(page.as_bytes());
    for id in ["a", "b-x", "legacy", "main"] {
        assert!(rec.has_id(id), "{id}");
    }
    for id in ["", "b", "x", "ab", "b-xl", "mai", "mainz", "zzz", "A"] {
        assert!(!rec.has_id(id), "{id}");
    }
    assert_eq!(rec.ids.join(", "), "a, b-x, legacy, main");
    assert_eq!(&*rec.ids.dups, [Box::from("b-x"), Box::from("main")]);
    assert!(rec.has_dup_ids());
    let links: Vec<(Attr, String)> = rec
        .links()
        .iter()
        .map(|(a, u)| (a, u.to_string()))
        .collect();
    assert_eq!(links, [(Attr::Href, "/x/".to_string())]);
    let empty = PageRecord::of(b"<p>no ids</p>");
    assert!(!empty.has_id("") && !empty.has_id("p") && empty.ids.is_empty());
}

/// The check's fast path (`Site::plain_file`) answers only where `Site::resolve` and
/// `Site::file_of` give the same file without a fragment: on random addresses made of the base
/// URL's parts (root-relative, in full, with the other scheme, a port, a capital, `..`, `%`,
/// `#`, `?`), for base URLs with and without a base path. And it takes the full same-site
/// addresses a page writes (canonical, `hreflang`), which it did not before.
#[test]
fn the_fast_path_agrees_with_resolve_on_random_addresses() {
    let files: HashSet<&str> = [
        "index.html",
        "a/index.html",
        "es/a/index.html",
        "x.pdf",
        "a/b.css",
        "lmp/index.html",
        "lmp/a/index.html",
    ]
    .into();
    let records = Records::new();
    let pieces = [
        "https://e.org",
        "http://e.org",
        "https://E.org",
        "https://e.org:443",
        "/",
        "lmp/",
        "a/",
        "es/",
        "x.pdf",
        "b.css",
        "..",
        "./",
        "%41",
        "#top",
        "?q",
        "//",
        "e.org",
        " ",
    ];
    let mut taken = 0;
    for base in ["https://e.org/", "https://e.org/lmp/", "http://e.org:8080/"] {
        let s = site(&files, &records, base);
        let same = s.same_site_prefix();
        assert_eq!(same, Some(base), "{base}");
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut buf = String::new();
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // The length from the top bits, each piece from other bits (the low bits of one
            // number for both chose pieces by the length).
            let raw: String = (0..(x >> 61) % 6)
                .map(|k| pieces[(x >> (8 * k + 8)) as usize % pieces.len()])
                .collect();
            if !s.plain_file(same, &raw, &mut buf) {
                continue;
            }
            taken += 1;
            let Target::Internal { path, fragment } = s.resolve("a/index.html", &raw) else {
                panic!("{raw} on {base}: not internal");
            };
            assert_eq!(fragment, None, "{raw} on {base}");
            assert_eq!(
                s.file_of(&path).as_deref(),
                Some(buf.as_str()),
                "{raw} on {base}"
            );
        }
        for page_link in [
            format!("{base}a/"),
            format!("{base}x.pdf"),
            base.to_string(),
        ] {
            assert!(s.plain_file(same, &page_link, &mut buf), "{page_link}");
        }
    }
    assert!(taken > 100, "{taken} random addresses took the fast path");
    // A base path with an escape is compared decoded: no fast path for full addresses.
    let s = site(&files, &records, "https://e.org/caf%C3%A9/");
    assert_eq!(s.same_site_prefix(), None);
}
