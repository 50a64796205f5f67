//! Errors that point at the root cause: a file whose front matter is broken still takes part in
//! link and anchor resolution (by its file name and body), so only its own errors are reported;
//! errors caused by it name it and come after it. YAML mistakes in plain words. A link to a
//! moved file suggests the new path and `aliases:`.

use crate::harness::Project;

/// `first-story.md` links to `second-story.md` and `second-story.md#how-it-works`; the broken
/// second story must give only its own errors, whatever is wrong with its front matter.
#[test]
fn a_broken_front_matter_does_not_break_links_to_it() {
    let p = Project::fixture("basic");
    let first = p.read("site/stories/first-story.md");
    p.write(
        "site/stories/first-story.md",
        &format!("{first}\nHow [it works](second-story.md#how-it-works).\n"),
    );
    let good = p.read("site/stories/second-story.md");
    let cases = [
        ("typo", good.replace("summary:", "sumary:")),
        (
            "yaml",
            good.replace("title: The second story", "title: [The second story"),
        ),
        ("tab", good.replace("topics:", "\ttopics:")),
        ("date", good.replace("date: 2018-06-01", "date: 2018-02-30")),
    ];
    for (case, text) in cases {
        p.write("site/stories/second-story.md", &text);
        let o = p.run(&["check"]);
        assert_eq!(o.code, 1, "{case}: {}", o.stderr);
        let errs = o.errors();
        assert!(!errs.is_empty(), "{case}");
        assert!(
            errs.iter()
                .all(|e| e.starts_with("site/stories/second-story.md:")),
            "{case}: only the broken file's own errors:\n{}",
            o.stderr
        );
    }
    // A fragment that is not in the broken file's body is still an error.
    p.write(
        "site/stories/first-story.md",
        &format!("{first}\nHow [it works](second-story.md#how-it-wrks).\n"),
    );
    let o = p.run(&["check"]);
    assert!(
        o.stderr.contains("error: link to second-story.md#how-it-wrks: there is no heading `#how-it-wrks` in that document")
            && o.stderr.contains("did you mean `#how-it-works`?"),
        "{}",
        o.stderr
    );
}

/// A region with a YAML error: the root cause is printed first, and each reference to the region
/// names it as the cause.
#[test]
fn caused_errors_name_their_cause_and_come_after_it() {
    let p = Project::fixture("basic");
    let hawaii = p.read("site/regions/hawaii.md");
    p.write(
        "site/regions/hawaii.md",
        &hawaii.replacen("title: Hawaii", "title: Hawaii\n\tsubtitle: x", 1),
    );
    let o = p.run(&["build"]);
    assert_eq!(o.code, 1);
    let errs = o.errors();
    assert!(
        errs[0].starts_with("site/regions/hawaii.md:3:1: error: invalid YAML in front matter: a tab is used to indent this line"),
        "{}",
        o.stderr
    );
    assert!(errs.len() >= 3, "{}", o.stderr);
    for e in &errs[1..] {
        assert!(
            e.ends_with("error: region `hawaii` is not built: site/regions/hawaii.md has errors"),
            "{e}"
        );
    }
    let json = p.run(&["check", "--format", "json"]);
    assert!(json.stdout.contains("\"caused\":true"), "{}", json.stdout);
}

/// The common YAML mistakes, each in plain words with the fix.
#[test]
fn yaml_mistakes_in_plain_words() {
    let p = Project::fixture("basic");
    let cases = [
        (
            "title: A\n\tdate: 2020-01-01\n",
            "site/stories/y.md:3:1: error: invalid YAML in front matter: a tab is used to indent this line",
            "help: YAML indents with spaces only: replace the tab with spaces",
        ),
        (
            "title: Results: the year\ndate: 2020-01-01\n",
            "site/stories/y.md:2:8: error: invalid YAML in front matter: the value of `title` contains `: `, which YAML reads as the start of another field",
            "help: put the value in quotes: `title: \"Results: the year\"`",
        ),
        (
            "title: \"Hello\ndate: 2020-01-01\n",
            "site/stories/y.md:2:8: error: invalid YAML in front matter: the quote that starts the value of `title` is not closed",
            "help: end the value with \" on the same line",
        ),
        (
            "title: A\ndate: 2020-01-01\ntopics: [ubt-basics, bargaining\n",
            "site/stories/y.md:4:9: error: invalid YAML in front matter: the `[` that starts the value of `topics` is not closed",
            "help: end it with `]`",
        ),
        (
            "title: A\ndate: 2020-01-01\ntopics:\n-ubt-basics\n",
            "site/stories/y.md:5:1: error: invalid YAML in front matter: `-ubt-basics` is not a list item: a list item needs a space after the dash",
            "help: write `- ubt-basics`, with a space after the dash",
        ),
        (
            "title: A\ndate: 2020-01-01\ntopics:\n  -ubt-basics\n",
            "error: `topics`: `-ubt-basics` is not a list item: a list item needs a space after the dash",
            "help: write `- ubt-basics`",
        ),
    ];
    for (fm, error, help) in cases {
        p.write(
            "site/stories/y.md",
            &format!("---\n{fm}summary: s\n---\nBody.\n"),
        );
        let o = p.run(&["check"]);
        assert_eq!(o.code, 1);
        assert!(o.stderr.contains(error), "want {error:?} in:\n{}", o.stderr);
        assert!(o.stderr.contains(help), "want {help:?} in:\n{}", o.stderr);
        assert!(!o.stderr.contains("found character"), "{}", o.stderr);
    }
}

/// A link to a file that moved (same file name elsewhere) or was renamed (a title that gives
/// the old name) suggests the new path and `aliases:`.
#[test]
fn links_to_moved_files_suggest_the_new_path_and_aliases() {
    let p = Project::fixture("basic");
    p.write(
        "site/guides/basics.md",
        "---\ntitle: Huddle basics\nsummary: s\naudiences: [managers]\n---\nText.\n",
    );
    let first = p.read("site/stories/first-story.md");
    p.write(
        "site/stories/first-story.md",
        &format!("{first}\n[Moved](huddle.md) and [renamed](../guides/huddle-basics.md).\n"),
    );
    let o = p.run(&["check"]);
    assert_eq!(o.code, 1);
    assert!(
        o.stderr.contains("help: stories/huddle.md is not there, but guides/huddle.md (the same file name) looks like it moved: link `../guides/huddle.md`, and add `aliases: [/stories/huddle/]` to guides/huddle.md so the old address keeps working"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("help: guides/huddle-basics.md is not there, but guides/basics.md (its title is \"Huddle basics\") looks like it moved: link `../guides/basics.md`, and add `aliases: [/guides/huddle-basics/]` to guides/basics.md"),
        "{}",
        o.stderr
    );
}

/// A bad `aliases:` entry is one error, at the alias, whatever is wrong with it: not a cascade of
/// broken links in the files that link to the story (by its other alias or its file), nor a
/// failed write, nor a page silently overwritten.
#[test]
fn a_bad_alias_is_one_root_error() {
    let p = Project::fixture("basic");
    let first = p.read("site/stories/first-story.md");
    p.write(
        "site/stories/first-story.md",
        &format!("{first}\nSee [the old second](/old/second/) and [the file](second-story.md).\n"),
    );
    let guide = p.read("site/guides/huddle.md");
    p.write(
        "site/guides/huddle.md",
        &format!("{guide}\n<a href=\"/old/second/\">x</a>\n"),
    );
    let good = p.read("site/stories/second-story.md");
    let with = |alias: &str| {
        good.replace(
            "regions: [colorado]\n",
            &format!("regions: [colorado]\naliases: [/old/second/, {alias}]\n"),
        )
    };
    p.write("site/stories/second-story.md", &with("/old/second-story/"));
    p.ok(&["build"]);
    for (alias, want) in [
        ("old-second", "alias `old-second` is not a site path"),
        (
            "/guides/huddle/",
            "alias /guides/huddle/ is the address of an existing page",
        ),
        (
            "/old/first-story/",
            "alias /old/first-story/ is also an alias of site/stories/first-story.md",
        ),
        (
            "/topics/bargaining/",
            "alias /topics/bargaining/ is the address of an existing page",
        ),
        (
            "/stories/page/2/",
            "alias /stories/page/2/ is the address of an existing page",
        ),
        (
            "/files/huddle-checklist.txt",
            "alias /files/huddle-checklist.txt/ is the address of a file of the site (/files/huddle-checklist.txt)",
        ),
        (
            "/stories/atom.xml/",
            "alias /stories/atom.xml/ is the address of a file of the site (/stories/atom.xml)",
        ),
    ] {
        p.write("site/stories/second-story.md", &with(alias));
        let o = p.run(&["build"]);
        assert_eq!(o.code, 1, "{alias}: {}", o.stderr);
        let errs = o.errors();
        assert_eq!(errs.len(), 1, "{alias}: one error:\n{}", o.stderr);
        assert!(
            errs[0].starts_with("site/stories/second-story.md:7:") && errs[0].contains(want),
            "{alias}: {}",
            o.stderr
        );
        // The last good build is untouched.
        assert!(
            p.read("public/topics/bargaining/index.html")
                .contains("<h1"),
            "{alias}"
        );
    }
}
