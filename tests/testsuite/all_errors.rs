//! Every error of a site in one run, root causes first: the errors found before the pages
//! (front matter, references, `.md` links) come with the errors of the rendered links, and each
//! link error points at the line and column where that link is written. Each case is a fixture
//! under `tests/fixtures/cases/` laid over the `basic` site.

use crate::harness::{Project, block, copy_dir, fixtures};

/// The `basic` site with the files of `tests/fixtures/cases/<case>/` laid over it.
fn case(name: &str) -> Project {
    let p = Project::fixture("basic");
    copy_dir(&fixtures().join("cases").join(name), &p.path("site"));
    p
}

/// QA finding Q2: a front matter error and a broken `.md` link in one file, and five broken
/// rendered links in another: all of them in one run, the `.md` link once, no error for the
/// links to the page the broken front matter keeps out of the build; the previous output
/// untouched.
#[test]
fn front_matter_errors_do_not_hide_rendered_link_errors() {
    let p = Project::fixture("basic");
    p.ok(&["build"]);
    let before = p.snapshot_dir("public");
    copy_dir(
        &fixtures().join("cases/all-errors-at-once"),
        &p.path("site"),
    );
    for cmd in ["check", "build"] {
        let o = p.run(&[cmd]);
        assert_eq!(o.code, 1, "{cmd}: {}", o.stderr);
        let errs = o.errors();
        let want = [
            "site/stories/linky.md:7:1: error: broken link: /guides/huddel/ is not a page or file of this site",
            "site/stories/linky.md:7:31: error: broken link: /files/missing.pdf is not a page or file of this site",
            "site/stories/linky.md:9:1: error: missing file: /images/wait-chart.png is not a page or file of this site",
            "site/stories/linky.md:11:11: error: missing file: /images/nothere.png is not a page or file of this site",
            "site/stories/linky.md:13:10: error: broken link: /stories/ghost/ is not a page or file of this site",
            "site/stories/typo.md:4:1: error: unknown field `sumary` in stories",
            "site/stories/linky.md:17:12: error: broken link: ../guides/renamed-guide.md does not exist",
        ];
        for w in want {
            assert!(errs.contains(&w), "{cmd}: missing `{w}` in:\n{}", o.stderr);
        }
        // A link to the page the broken front matter keeps out of the build: that file's own
        // errors are reported, not a broken link.
        assert!(!o.stderr.contains("linky.md:15:"), "{cmd}:\n{}", o.stderr);
        assert_eq!(
            errs.last(),
            Some(&"site/stories/typo.md:4:1: error: unknown field `sumary` in stories"),
            "{cmd}:\n{}",
            o.stderr
        );
        assert!(
            block(&o, want[0]).contains("help: did you mean `/guides/huddle/`?"),
            "{}",
            o.stderr
        );
        // The `.md` links: the broken one once (from the markdown pass), the one to the file
        // with errors not at all (its own errors are reported).
        assert_eq!(
            errs.iter()
                .filter(|e| e.contains("renamed-guide.md"))
                .count(),
            1,
            "{}",
            o.stderr
        );
        let n = errs.len();
        assert!(
            o.stderr.contains(&format!("failed: {n} errors")),
            "{cmd}: {n} errors printed:\n{}",
            o.stderr
        );
    }
    assert!(
        p.snapshot_dir("public") == before,
        "the previous output changed"
    );
}

/// QA finding Q3: a link in raw HTML is reported where the tag is, not where its text first
/// appears in prose (or in a code block); a broken link written twice is reported at both.
#[test]
fn link_errors_point_at_each_place_the_link_is_written() {
    let p = case("raw-html-positions");
    let o = p.fails(&["check"]);
    assert_eq!(
        o.errors(),
        [
            "site/stories/h.md:9:5: error: broken link: team/ is not a page or file of this site",
            "site/stories/h.md:11:7: error: broken link: team/ is not a page or file of this site",
            "site/stories/h.md:13:10: error: broken link: ghost is not a page or file of this site",
            "site/stories/h.md:19:11: error: missing file: /images/nothere.png is not a page or file of this site",
            "site/stories/h.md:19:57: error: missing file: /images/nothere.png is not a page or file of this site",
        ],
        "{}",
        o.stderr
    );
    let ghost = block(&o, "site/stories/h.md:13:10:");
    assert!(
        ghost.contains("13 | <a href=\"ghost\">g</a>\n   |          ^"),
        "{ghost}"
    );
}

/// QA finding Q1: one bad field (an image without `image_alt`, an impossible date) hid every
/// other error of the file; all of them come in one run, each at its own line and column.
#[test]
fn every_error_of_one_file_comes_at_once() {
    let p = case("all-errors-one-file");
    let want = [
        "site/stories/bd.md:5:10: error: unknown region `hawai`",
        "site/stories/bd.md:6:12: error: unknown audience `everyone`",
        "site/stories/bd.md:7:9: error: unknown series `peer-advise`",
        "site/stories/bd.md:8:1: error: `image` has no `image_alt`",
        "site/stories/bd.md:8:8: error: the file /images/nope.jpg does not exist",
    ];
    let o = p.fails(&["check"]);
    assert_eq!(o.errors(), want, "{}", o.stderr);
    assert!(
        block(&o, want[0]).contains("help: did you mean `hawaii`?"),
        "{}",
        o.stderr
    );
    // An impossible date is one more error, not the only one.
    let bd = p.read("site/stories/bd.md");
    p.write(
        "site/stories/bd.md",
        &bd.replace("date: 2024-01-30", "date: 2024-02-30"),
    );
    let o = p.run(&["check"]);
    let errs = o.errors();
    assert!(
        errs.iter()
            .any(|e| e.starts_with("site/stories/bd.md:3:7: error: `date`")),
        "{}",
        o.stderr
    );
    for w in want {
        assert!(errs.contains(&w), "missing `{w}`:\n{}", o.stderr);
    }
}

/// QA Q28: a typo in a menu URL of `config.yaml` gave one error per template (36 on the sample
/// site), all at built-in templates the editor never saw. Now: one error per place the URL is
/// written in config.yaml, at its line and column, with "did you mean"; and it is reported in
/// the same run as content errors (it used to wait for the run after they were fixed).
#[test]
fn a_menu_url_typo_is_one_error_at_its_line_in_config_yaml() {
    let p = Project::fixture("basic");
    p.ok(&["build"]);
    let before = p.snapshot_dir("public");
    let cfg = p.read("site/config.yaml");
    p.write(
        "site/config.yaml",
        &cfg.replace("url: /regions/}", "url: /regoins/}"),
    );
    for cmd in ["check", "build"] {
        let o = p.run(&[cmd]);
        assert_eq!(o.code, 1, "{cmd}: {}", o.stderr);
        assert_eq!(
            o.errors(),
            [
                "site/config.yaml:8:26: error: broken link: /regoins/ is not a page or file of this site"
            ],
            "{cmd}: {}",
            o.stderr
        );
        let b = block(&o, "site/config.yaml:8:26");
        assert!(b.contains("help: did you mean `/regions/`?"), "{b}");
        assert!(!o.stderr.contains("templates/"), "{}", o.stderr);
    }
    // With a content error elsewhere, both come in one run.
    let story = p.read("site/stories/second-story.md");
    p.write(
        "site/stories/second-story.md",
        &story.replacen("summary:", "sumary:", 1),
    );
    let o = p.fails(&["check"]);
    let errs = o.errors();
    assert_eq!(errs.len(), 2, "{}", o.stderr);
    assert!(
        errs.iter()
            .any(|e| e.contains("site/stories/second-story.md")),
        "{}",
        o.stderr
    );
    assert!(
        errs.iter()
            .any(|e| e.starts_with("site/config.yaml:8:26: error: broken link: /regoins/")),
        "{}",
        o.stderr
    );
    // A broken link only a template writes is reported in that run too.
    let t404 = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/lmp/templates/404.html"),
    )
    .unwrap();
    let t = t404.replacen("</ul>", "<li><a href=\"/nowhere/\">x</a></li></ul>", 1);
    p.write("site/templates/404.html", &t);
    let (line, col) = t
        .lines()
        .enumerate()
        .find_map(|(i, l)| l.find("/nowhere/").map(|c| (i + 1, c + 1)))
        .unwrap();
    let o = p.fails(&["check"]);
    // At the line of the template that writes it (QA Q120).
    assert!(
        o.stderr.contains(&format!("site/templates/404.html:{line}:{col}: error: broken link: /nowhere/ is not a page or file of this site")),
        "{}",
        o.stderr
    );
    assert_eq!(o.errors().len(), 3, "{}", o.stderr);
    assert_eq!(p.snapshot_dir("public"), before);
}

/// QA Q36: broken links to the site's own pages escaped the check when written `http://` (old
/// content is full of them) or with the default port `:443`.
#[test]
fn own_site_links_over_http_or_with_the_default_port_are_checked() {
    let p = Project::fixture("basic");
    p.append(
        "site/stories/first-story.md",
        "\n[a](http://example.org/guides/nothing/)\n\n[b](https://example.org:443/guides/nothing4/)\n\n[c](http://example.org/stories/)\n",
    );
    let o = p.fails(&["check"]);
    let errs = o.errors();
    assert_eq!(errs.len(), 2, "{}", o.stderr);
    assert!(
        errs[0].contains(
            "broken link: http://example.org/guides/nothing/ is not a page or file of this site"
        ),
        "{}",
        o.stderr
    );
    assert!(
        errs[1].contains("broken link: https://example.org:443/guides/nothing4/ is not a page or file of this site"),
        "{}",
        o.stderr
    );
}

/// QA Q24: the commonest path mistakes got absurd help ("put the file … as
/// static/static/files/…", a second copy in a wrong folder). The help now names the address
/// the file has.
#[test]
fn path_mistakes_get_the_address_the_file_has() {
    let p = Project::fixture("basic");
    let first = p.read("site/stories/first-story.md");
    p.write(
        "site/stories/first-story.md",
        &format!(
            "{first}\nA [a](/static/files/huddle-checklist.txt)\n\nB [b](../static/files/huddle-checklist.txt)\n\nC [c](files/huddle-checklist.txt)\n\nD [d](/Files/Huddle-Checklist.TXT)\n\nE [e](/GUIDES/HUDDLE)\n"
        ),
    );
    let o = p.fails(&["check"]);
    assert!(!o.stderr.contains("static/static"), "{}", o.stderr);
    assert!(!o.stderr.contains("as static/stories"), "{}", o.stderr);
    for (head, help) in [
        (
            "broken link: /static/files/huddle-checklist.txt",
            "help: files in site/static/ are published at the site root: write `/files/huddle-checklist.txt`",
        ),
        (
            "broken link: ../static/files/huddle-checklist.txt",
            "help: files in site/static/ are published at the site root: write `/files/huddle-checklist.txt`",
        ),
        (
            "broken link: files/huddle-checklist.txt",
            "help: a path without a leading `/` is relative to the page's address (/stories/first-story/): write `/files/huddle-checklist.txt`",
        ),
        (
            "broken link: /Files/Huddle-Checklist.TXT",
            "/files/huddle-checklist.txt`?",
        ),
        // QA Q16: a page address in other case, however many letters differ.
        (
            "broken link: /GUIDES/HUDDLE",
            "help: did you mean `/guides/huddle/`?",
        ),
    ] {
        let b = block(&o, head);
        assert!(b.contains(help), "{head}: want {help:?} in\n{b}");
    }
}

/// QA Q53: one missing download file used by a tool's `file:`, a `{download}` and the
/// guide page that lists the tool was 5 errors in three wordings; now one error per place
/// the file is named, in one wording, and no "broken link" for the pages showing it.
#[test]
fn a_missing_download_file_is_one_error_per_place_it_is_named() {
    let p = Project::fixture("basic");
    p.remove("site/static/files/huddle-checklist.txt");
    p.append(
        "site/stories/first-story.md",
        "\n```{download}\nfile: /files/huddle-checklist.txt\nlabel: The checklist\n```\n",
    );
    let o = p.fails(&["check"]);
    let errs = o.errors();
    assert_eq!(errs.len(), 2, "{}", o.stderr);
    assert!(
        errs.iter()
            .all(|e| e.ends_with("error: the file /files/huddle-checklist.txt does not exist")),
        "{}",
        o.stderr
    );
    assert!(
        errs[0].starts_with("site/stories/first-story.md:"),
        "{}",
        o.stderr
    );
    assert!(
        errs[1].starts_with("site/tools/huddle-checklist.md:5:7:"),
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains("broken link"), "{}", o.stderr);
}

/// QA Q66: a `slug:` or alias with a part over 255 bytes passed `lmp check` and failed
/// `lmp build` with "File name too long" and no source line; now both fail at the field.
#[test]
fn a_slug_or_alias_too_long_for_a_folder_name_fails_check_at_its_line() {
    let p = Project::fixture("basic");
    let long_a = "a".repeat(300);
    let long_b = "b".repeat(300);
    p.write(
        "site/stories/long.md",
        &format!("---\ntitle: Long\ndate: 2020-01-01\nsummary: x\nslug: {long_a}\n---\nText.\n"),
    );
    p.write(
        "site/stories/alias.md",
        &format!(
            "---\ntitle: Alias\ndate: 2020-01-01\nsummary: x\naliases: [/{long_b}/]\n---\nText.\n"
        ),
    );
    for cmd in ["check", "build"] {
        let o = p.fails(&[cmd]);
        let errs = o.errors();
        assert_eq!(errs.len(), 2, "{}", o.stderr);
        assert!(
            errs[0].starts_with("site/stories/alias.md:5:")
                && errs[0].contains("has a part of 300 bytes"),
            "{}",
            o.stderr
        );
        assert!(
            errs[1].starts_with("site/stories/long.md:5:7:")
                && errs[1].contains("has a part of 300 bytes"),
            "{}",
            o.stderr
        );
        assert!(!o.stderr.contains("File name too long"), "{}", o.stderr);
    }
}

/// QA Q44/Q67: a front matter file path that misses only in case, `.jpeg` for `.jpg` or a
/// `/static` prefix gets "did you mean" the file that is there, not "put the file at
/// site/static/…" (a second copy).
#[test]
fn front_matter_file_paths_get_the_file_that_is_there() {
    let p = Project::fixture("basic");
    let tool = p.read("site/tools/huddle-checklist.md");
    p.write(
        "site/tools/huddle-checklist.md",
        &tool.replace(
            "file: /files/huddle-checklist.txt",
            "file: /Files/Huddle-Checklist.TXT",
        ),
    );
    p.write(
        "site/tools/two.md",
        &tool.replace(
            "file: /files/huddle-checklist.txt",
            "file: /static/files/huddle-checklist.txt",
        ),
    );
    let o = p.fails(&["check"]);
    let errs = o.errors();
    assert_eq!(errs.len(), 2, "{}", o.stderr);
    assert_eq!(
        o.stderr
            .matches("help: did you mean `/files/huddle-checklist.txt`? (addresses are case-sensitive on the web server)")
            .count(),
        2,
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains("put the file at"), "{}", o.stderr);
}

/// QA s11: a file whose front matter has errors had only its `.md` links checked; the rest of
/// its body's problems (raw HTML removed, a picture without alt text, an unknown component, a
/// malformed address of another site) came only after the front matter was fixed. Now they
/// come in the same run, at their lines, the front matter error first; and the same body with
/// its front matter fixed reports the same problems at the same places.
#[test]
fn a_file_with_front_matter_errors_has_its_body_checked_too() {
    let p = Project::fixture("basic");
    let body = "Text with <script>alert(1)</script> in it.\n\n![](/files/huddle-checklist.txt)\n\n```{vidoe}\nsrc: /videos/x.mp4\n```\n\nSee [the form](https://) and [the guide](../guides/huddel.md).\n";
    p.write(
        "site/stories/broken.md",
        &format!(
            "---\ntitle: Broken\ndate: 2024-13-45\nsummary: s\ntopics: [ubt-basics]\n---\n{body}"
        ),
    );
    let want = [
        "site/stories/broken.md:7:11: warning: raw HTML: removed the <script> element (and its content)",
        "site/stories/broken.md:9:1: error: the image /files/huddle-checklist.txt has no alt text",
        "site/stories/broken.md:11:4: error: unknown component `vidoe`",
        "site/stories/broken.md:15:5: error: link to https://: the address has no site name after `https://`",
        "site/stories/broken.md:15:30: error: broken link: ../guides/huddel.md does not exist",
    ];
    let o = p.fails(&["check"]);
    assert!(
        o.stderr
            .contains("site/stories/broken.md:3:7: error: `date`: `2024-13-45` has month 13"),
        "{}",
        o.stderr
    );
    for w in want {
        assert!(o.stderr.contains(w), "missing {w:?} in:\n{}", o.stderr);
    }
    assert!(
        o.stderr.contains("help: did you mean `{video}`?"),
        "{}",
        o.stderr
    );
    // The front matter error is the first one printed.
    assert!(o.errors()[0].contains("broken.md:3:7"), "{:?}", o.errors());
    // Fixed front matter: the same problems, at the same places.
    p.write(
        "site/stories/broken.md",
        &format!(
            "---\ntitle: Broken\ndate: 2024-12-25\nsummary: s\ntopics: [ubt-basics]\n---\n{body}"
        ),
    );
    let fixed = p.fails(&["check"]);
    for w in want {
        assert!(
            fixed.stderr.contains(w),
            "missing {w:?} once fixed:\n{}",
            fixed.stderr
        );
    }
}

/// QA s13: a picture with no alt text whose file is missing too: the missing file was reported
/// only in the next run, once the alt text was written.
#[test]
fn a_missing_picture_without_alt_text_is_both_errors_in_one_run() {
    let p = Project::fixture("basic");
    let first = p.read("site/stories/first-story.md");
    p.write(
        "site/stories/first-story.md",
        &format!("{first}\n![](/images/not-there.png)\n"),
    );
    let o = p.fails(&["check"]);
    assert!(
        o.stderr
            .contains("error: the image /images/not-there.png has no alt text"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains(
            "error: missing file: /images/not-there.png is not a page or file of this site"
        ),
        "{}",
        o.stderr
    );
}
