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
            // QA Q16: at the item's own line, not at `topics:`.
            "site/stories/y.md:5:3: error: `topics`: `-ubt-basics` is not a list item: a list item needs a space after the dash",
            "help: write `- ubt-basics`",
        ), // QA Q41: characters pasted from Word, named at their own line and column.
        (
            "title: A\ndate: 2020-01-01\ntopics:\n\u{a0}\u{a0}- bargaining\n",
            "site/stories/y.md:5:1: error: invalid YAML in front matter: a non-breaking space (U+00A0), which looks like a space, is used to indent this line",
            "help: it often comes from pasting from Word or a web page",
        ),
        (
            "title:\u{a0}After colon\ndate: 2020-01-01\n",
            "site/stories/y.md:2:7: error: invalid YAML in front matter: a non-breaking space (U+00A0), which looks like a space, follows `title:`",
            "help: it often comes from pasting from Word or a web page",
        ),
        (
            "title: A\ndate:\u{200b}2020-01-01\n",
            "site/stories/y.md:3:6: error: invalid YAML in front matter: an invisible zero-width space (U+200B) follows `date:`",
            "type one space",
        ),
        (
            "title: A\ndate\u{ff1a} 2020-01-01\n",
            "site/stories/y.md:3:5: error: invalid YAML in front matter: `date` is followed by a full-width colon",
            "help: type an ordinary colon: `date: …`",
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
        assert!(
            !o.stderr.contains("could not find expected"),
            "{}",
            o.stderr
        );
    }
}

/// QA Q11: YAML mistakes in `config.yaml` and in `site/i18n/*.yaml` get the same plain words
/// as front matter, at the line of the cause.
#[test]
fn yaml_mistakes_in_config_and_strings_files_in_plain_words() {
    let p = Project::fixture("basic");
    let cfg = p.read("site/config.yaml");
    p.write(
        "site/config.yaml",
        &cfg.replace(
            "{slug: bargaining, name: Bargaining}",
            "{slug: bargaining, name: Bargaining: the art}",
        ),
    );
    let o = p.fails(&["check"]);
    assert!(
        o.stderr.contains("site/config.yaml:12:32: error: invalid YAML: the value of `name` contains `: `, which YAML reads as the start of another field"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("help: put the value in quotes: `name: \"Bargaining: the art\"`"),
        "{}",
        o.stderr
    );
    p.write("site/config.yaml", &cfg);
    p.write("site/i18n/en.yaml", "related: [Related\nmin_read: min\n");
    let o = p.fails(&["check"]);
    assert!(
        o.stderr.contains("site/i18n/en.yaml:1:10: error: invalid YAML: the `[` that starts the value of `related` is not closed"),
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains("did not find expected"), "{}", o.stderr);
}

/// QA s11: a page renamed to a name unlike its old one left the links to the old name with
/// "link to an existing .md file". Now the page whose `aliases:` lists the old address is
/// named, and otherwise the page whose title has the words of the old name.
#[test]
fn links_to_a_page_renamed_unlike_its_old_name_name_the_page() {
    let p = Project::fixture("basic");
    // Renamed from `stories/bargaining-in-colorado-2018.md`, its title kept.
    p.write(
        "site/stories/ibb.md",
        "---\ntitle: Interest-based bargaining in Colorado, 2018\ndate: 2018-06-01\nsummary: s\ntopics: [bargaining]\n---\nText.\n",
    );
    // Renamed from `stories/fear-technology-reality.md`, and said so in `aliases:`.
    p.write(
        "site/stories/tech.md",
        "---\ntitle: Machines on the unit\ndate: 2014-04-02\nsummary: s\ntopics: [ubt-basics]\naliases: [/stories/fear-technology-reality/]\n---\nText.\n",
    );
    p.append(
        "site/guides/huddle.md",
        "\n[Old name](../stories/bargaining-in-colorado-2018.md) and [aliased](../stories/fear-technology-reality.md).\n\n[Nothing like it](../stories/quarterly-budget-review.md)\n",
    );
    let o = p.fails(&["check"]);
    for want in [
        "help: did you mean `../stories/ibb.md` (\"Interest-based bargaining in Colorado, 2018\")? It has the words of the name this link uses",
        "help: stories/fear-technology-reality.md was renamed: stories/tech.md lists its old address /stories/fear-technology-reality/ in `aliases:`; link `../stories/tech.md`",
    ] {
        assert!(
            o.stderr.contains(want),
            "missing {want:?} in:\n{}",
            o.stderr
        );
    }
    // A name that shares no words with any page still gets the general help.
    let nothing = o
        .stderr
        .split("\n\n")
        .find(|d| d.contains("quarterly-budget-review.md does not exist"))
        .unwrap_or_else(|| panic!("{}", o.stderr));
    assert!(
        nothing.contains("link to an existing .md file"),
        "{nothing}"
    );
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
    p.append(
        "site/stories/first-story.md",
        "\n[Moved](huddle.md) and [renamed](../guides/huddle-basics.md).\n\n[Misnamed](../guides/checklist.md) and [upper case](../guides/huddle.MD).\n",
    );
    p.write(
        "site/guides/checklst.md",
        "---\ntitle: Checklist\nsummary: s\naudiences: [managers]\n---\nText.\n",
    );
    let o = p.run(&["check"]);
    assert_eq!(o.code, 1);
    assert!(
        o.stderr.contains("help: stories/huddle.md is not there, but guides/huddle.md (the same file name) looks like it moved: link `../guides/huddle.md`; if the page was moved from there, also add `aliases: [/stories/huddle/]` to guides/huddle.md so the old address keeps working"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("help: guides/huddle-basics.md is not there, but guides/basics.md (its title is \"Huddle basics\") looks like it moved: link `../guides/basics.md`; if the page was moved from there, also add `aliases: [/guides/huddle-basics/]` to guides/basics.md"),
        "{}",
        o.stderr
    );
    // QA Q36: the link's own page is never proposed as an alias of itself.
    assert!(
        o.stderr.contains("help: did you mean `../guides/huddle.md`? File names in links must match the file exactly"),
        "{}",
        o.stderr
    );
    assert!(
        !o.stderr.contains("aliases: [/guides/huddle/]"),
        "{}",
        o.stderr
    );
    // QA Q43: a typo in a file name is not spread to the links: rename the file; and this
    // caused error comes after the others.
    let errors = o.errors();
    assert!(
        errors
            .last()
            .is_some_and(|e| e.contains("broken link: ../guides/checklist.md does not exist")),
        "{errors:#?}"
    );
    assert!(
        o.stderr.contains("help: guides/checklst.md (its title is \"Checklist\") is most likely this page with a typo in its file name: rename it to checklist.md and this link works"),
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
    p.append(
        "site/guides/huddle.md",
        "\n<a href=\"/old/second/\">x</a>\n",
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
        // The search index is written after the pages: this was a raw write error (QA s8).
        (
            "/search/index/manifest.json",
            "alias /search/index/manifest.json/ is inside the search index that lmp writes (/search/index/)",
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

/// Every alias error of the site in one run, each at the alias it is about (they came one per
/// run: the first bad alias of a list hid the others, a bad alias hid its file's aliases that
/// are pages' addresses, and those hid an alias that is a file's address).
#[test]
fn every_alias_error_comes_in_one_run_at_its_alias() {
    let p = Project::fixture("basic");
    let second = p.read("site/stories/second-story.md");
    p.write(
        "site/stories/second-story.md",
        &second.replace(
            "regions: [colorado]\n",
            "regions: [colorado]\naliases: [old-second, /guides/huddle/, \"/b c/\", /old/second/]\n",
        ),
    );
    let third = p.read("site/stories/third-story.md");
    p.write(
        "site/stories/third-story.md",
        &third.replacen(
            "---\n",
            "---\naliases:\n  - /files/huddle-checklist.txt\n  - /old/first-story/\n",
            1,
        ),
    );
    for cmd in ["check", "build"] {
        let o = p.fails(&[cmd]);
        let errs = o.errors();
        let want = [
            "site/stories/second-story.md:7:11: error: `aliases`: alias `old-second` is not a site path",
            "site/stories/second-story.md:7:23: error: alias /guides/huddle/ is the address of an existing page",
            "site/stories/second-story.md:7:41: error: `aliases`: alias `/b c/` must not contain",
            "site/stories/third-story.md:3:5: error: alias /files/huddle-checklist.txt/ is the address of a file of the site (/files/huddle-checklist.txt)",
            "site/stories/third-story.md:4:5: error: alias /old/first-story/ is also an alias of site/stories/first-story.md",
        ];
        for w in want {
            assert!(
                errs.iter().any(|e| e.starts_with(w)),
                "{cmd}: no {w:?} in:\n{}",
                o.stderr
            );
        }
        assert_eq!(errs.len(), want.len(), "{cmd}:\n{}", o.stderr);
    }
}

/// QA Q17: a region with a bad figure made the `{figures}` component of a story say "unknown
/// region `hawaii`" (it exists; the help listed the other regions), as a root cause. Now it
/// names the region's file as the cause, and comes after it.
#[test]
fn a_figures_component_names_a_broken_region_as_the_cause() {
    let p = Project::fixture("basic");
    let hawaii = p.read("site/regions/hawaii.md");
    p.write(
        "site/regions/hawaii.md",
        &hawaii.replacen("ubts: 60", "ubts: -3", 1),
    );
    p.write(
        "site/stories/figures.md",
        "---\ntitle: Figures\ndate: 2020-02-02\nsummary: The figures.\n---\nThe teams:\n\n```{figures}\nregion: hawaii\n```\n",
    );
    let o = p.fails(&["check"]);
    let errs = o.errors();
    assert!(
        errs[0].starts_with("site/regions/hawaii.md:"),
        "root cause first:\n{}",
        o.stderr
    );
    assert!(
        errs.contains(&"site/stories/figures.md:9:9: error: region `hawaii` is not built: site/regions/hawaii.md has errors"),
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains("unknown region"), "{}", o.stderr);
    let json = p.run(&["check", "--format", "json"]);
    let line = json
        .stdout
        .lines()
        .find(|l| l.contains("figures.md") && l.contains("is not built"))
        .unwrap_or_default();
    assert!(line.contains("\"caused\":true"), "{}", json.stdout);
}

/// QA Q9: a renamed collection folder gave one error per file, after the broken links to its
/// files, with no "did you mean". Now: one error for the folder with "did you mean
/// `practices/`?", first; the links to its files are marked as caused by it and come after.
#[test]
fn a_renamed_collection_folder_is_one_root_error_and_the_links_to_it_are_caused() {
    let p = Project::fixture("basic");
    let first = p.read("site/stories/first-story.md");
    let practice = std::fs::read_dir(p.path("site/practices"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with(".md"))
        .unwrap();
    let stem = practice.trim_end_matches(".md").to_string();
    p.write(
        "site/stories/first-story.md",
        &format!("{first}\nSee [the practice](../practices/{practice}) and [its page](/practices/{stem}/).\n"),
    );
    std::fs::rename(p.path("site/practices"), p.path("site/practices-old")).unwrap();
    let o = p.fails(&["check"]);
    let errs = o.errors();
    assert!(
        errs[0].starts_with(
            "site/practices-old: error: `practices-old/` is not a collection folder, so its"
        ),
        "the root cause first, once:\n{}",
        o.stderr
    );
    assert_eq!(
        errs.iter()
            .filter(|e| e.contains("is not a collection folder"))
            .count(),
        1,
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("help: did you mean `practices/`?"),
        "{}",
        o.stderr
    );
    // QA s13: a reference in front matter into the renamed folder is caused by it too (it came
    // first, as a root cause of its own). The fixture's guide has `tools: [huddle-checklist]`.
    std::fs::rename(p.path("site/tools"), p.path("site/toolz")).unwrap();
    let o = p.fails(&["check"]);
    let errs = o.errors();
    assert!(
        errs[0].contains("error: `practices-old/` is not a collection folder")
            || errs[0].contains("error: `toolz/` is not a collection folder"),
        "the root causes first:\n{}",
        o.stderr
    );
    assert!(
        errs[1].contains("is not a collection folder"),
        "the root causes first:\n{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("help: the document is most likely in site/toolz, which is not built"),
        "{}",
        o.stderr
    );
    std::fs::rename(p.path("site/toolz"), p.path("site/tools")).unwrap();
    let json = p.run(&["check", "--format", "json"]);
    let links: Vec<&str> = json
        .stdout
        .lines()
        .filter(|l| l.contains("broken link"))
        .collect();
    assert_eq!(links.len(), 2, "{}", json.stdout);
    for l in links {
        assert!(l.contains("\"caused\":true"), "{l}");
        assert!(
            l.contains("the file is most likely in site/practices-old"),
            "{l}"
        );
    }
}

/// QA Q52 and Q39: `#top` is a valid link (it scrolls to the top of any page), and a link
/// written with Windows' `\` gets "write `../guides/huddle.md`" rather than the generic help.
#[test]
fn top_links_pass_and_backslash_links_get_a_precise_help() {
    let p = Project::fixture("basic");
    p.append(
        "site/stories/first-story.md",
        "\n[Back to the top](#top)\n\nSee [the guide](..\\guides\\huddle.md).\n",
    );
    let o = p.fails(&["check"]);
    let errs = o.errors();
    assert_eq!(errs.len(), 1, "{}", o.stderr);
    assert!(
        errs[0].contains("broken link: ..\\guides\\huddle.md"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("help: links use `/`, not `\\`: write `../guides/huddle.md`"),
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains("#top"), "{}", o.stderr);
}

/// QA Q18: a template's unknown filter and undefined field get "did you mean" (the filter is
/// found when the theme loads, the field when a page renders).
#[test]
fn template_errors_suggest_the_name_meant() {
    let p = Project::fixture("basic");
    let story = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/lmp/templates/story.html"),
    )
    .unwrap();
    let typo = story.replacen("t.min_read", "t.min_read | uper", 1);
    p.write("site/templates/story.html", &typo);
    let o = p.fails(&["check"]);
    assert!(
        o.stderr.contains("site/templates/story.html:")
            && o.stderr.contains("template error: Unknown filter `uper`"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("help: did you mean `upper`?"),
        "{}",
        o.stderr
    );
    p.write(
        "site/templates/story.html",
        &story.replacen("{{ doc.author }}", "{{ doc.autor }}", 1),
    );
    let o = p.fails(&["check"]);
    assert!(
        o.stderr.contains("Field `autor` is not defined"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("help: did you mean `author`?"),
        "{}",
        o.stderr
    );
}

/// QA s10: `site.assets["css/Lmp.css"]` in a site's template said only "Tried to render a
/// variable that is undefined": the help names the asset asked for, the closest one, and the
/// stylesheets and scripts there are; a picture asked of `site.assets` is linked by its path.
#[test]
fn a_missing_asset_names_the_ones_there_are() {
    let p = Project::fixture("basic");
    let base = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/lmp/templates/base.html"),
    )
    .unwrap();
    let typo = base.replacen(
        r#"site.assets["css/lmp.css"]"#,
        r#"site.assets["css/Lmp.css"]"#,
        1,
    );
    assert_ne!(
        typo, base,
        "base.html links css/lmp.css through site.assets"
    );
    p.write("site/templates/base.html", &typo);
    let o = p.fails(&["check"]);
    assert!(
        o.stderr.contains("site/templates/base.html:")
            && o.stderr.contains("help: `site.assets` has no `css/Lmp.css`: did you mean `site.assets[\"css/lmp.css\"]`? The stylesheets and scripts are: ")
            && o.stderr.contains("js/video.js"),
        "{}",
        o.stderr
    );
    let picture = base.replacen(
        r#"site.assets["css/lmp.css"]"#,
        r#"site.assets["images/logo.svg"]"#,
        1,
    );
    p.write("site/templates/base.html", &picture);
    let o = p.fails(&["build"]);
    assert!(
        o.stderr.contains(
            "help: `site.assets` has no `images/logo.svg`: it names stylesheets and scripts only"
        ),
        "{}",
        o.stderr
    );
}

/// QA Q43: a region file renamed with a typo (`hawaii.md` → `hawai.md`) made each reference to
/// `hawaii` an error whose help spread the typo ("did you mean `hawai`?"), and said nothing at
/// the one file that changed. Now the root cause is one error at that file, first, and the
/// references are marked as caused by it.
#[test]
fn a_region_file_renamed_with_a_typo_is_the_root_cause() {
    let p = Project::fixture("basic");
    std::fs::rename(
        p.path("site/regions/hawaii.md"),
        p.path("site/regions/hawai.md"),
    )
    .unwrap();
    // QA Q43 (s8): a link to the region's file and a `{figures}` of it are references too.
    p.write(
        "site/stories/hi.md",
        "---\ntitle: Hi\ndate: 2020-01-01\nsummary: x\n---\nSee [Hawaii](../regions/hawaii.md).\n\n```{figures}\nregion: hawaii\n```\n",
    );
    let o = p.fails(&["check"]);
    let errs = o.errors();
    assert!(
        errs[0].starts_with("site/regions/hawai.md:2:8: error: 4 references (2 in front matter, 2 links and components) in 3 files use the region `hawaii`, but this file makes the region `hawai`: was it renamed?"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains(
            "help: rename the file back to `hawaii.md`, or add `slug: hawaii` to its front matter"
        ),
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains("did you mean `hawai`"), "{}", o.stderr);
    let json = p.run(&["check", "--format", "json"]);
    let refs: Vec<&str> = json
        .stdout
        .lines()
        .filter(|l| l.contains("unknown region `hawaii`"))
        .collect();
    assert_eq!(refs.len(), 3, "{}", json.stdout);
    assert!(
        o.stderr.contains("help: site/regions/hawai.md (its title gives `hawaii`) is most likely this region with a typo in its file name: rename it to hawaii.md"),
        "{}",
        o.stderr
    );
    assert!(
        refs.iter().all(|l| l.contains("\"caused\":true")),
        "{}",
        json.stdout
    );
}

/// QA Q1: a file whose front matter has an error is not built, but its body's links are still
/// checked: the author sees the broken link in the same run as the schema error.
#[test]
fn a_file_with_a_schema_error_still_reports_its_body_link_errors() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/c.md",
        "---\ntitle: C\ntittle: y\ndate: 2020-01-01\nsummary: x\n---\nSee [x](../guides/nope.md), [ok](../guides/huddle.md)\nand [step](../guides/huddle.md#no-such-step).\n",
    );
    let o = p.fails(&["check"]);
    assert_eq!(
        o.errors(),
        [
            "site/stories/c.md:3:1: error: unknown field `tittle` in stories",
            "site/stories/c.md:7:5: error: broken link: ../guides/nope.md does not exist",
            "site/stories/c.md:8:5: error: link to ../guides/huddle.md#no-such-step: there is no heading `#no-such-step` in that document",
        ],
        "{}",
        o.stderr
    );
}

/// QA Q39: Hugo's `_index.md` in a collection folder was read as a story ("missing required
/// field `date`", "`summary`"); now one error saying what it is and what lmp does instead.
#[test]
fn hugo_index_files_are_one_plain_error() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/_index.md",
        "---\ntitle: Stories\n---\nAll our stories.\n",
    );
    let o = p.fails(&["check"]);
    assert_eq!(
        o.errors(),
        [
            "site/stories/_index.md:1:1: error: `_index.md` is Hugo's list page file: lmp writes the list page of stories/ itself"
        ],
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("help: delete it"), "{}", o.stderr);
}

/// QA Q18: every template error in one run: two unknown filters in two templates and an
/// undefined field (found only when a page renders) all come in the first run.
#[test]
fn all_template_errors_come_in_one_run() {
    let p = Project::fixture("basic");
    let theme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/lmp/templates");
    let story = std::fs::read_to_string(theme.join("story.html")).unwrap();
    let guide = std::fs::read_to_string(theme.join("guide.html")).unwrap();
    p.write(
        "site/templates/story.html",
        &story
            .replacen("t.min_read", "t.min_read | uper", 1)
            .replacen("{{ doc.author }}", "{{ doc.autor }}", 1),
    );
    let guide_typo = guide.replacen("{{ doc.duration }}", "{{ doc.duration | titel }}", 1);
    assert_ne!(guide_typo, guide, "guide.html shows doc.duration");
    p.write("site/templates/guide.html", &guide_typo);
    let o = p.fails(&["check"]);
    for want in [
        "template error: Unknown filter `uper`",
        "template error: Unknown filter `titel`",
        "Field `autor` is not defined",
        "help: did you mean `author`?",
    ] {
        assert!(o.stderr.contains(want), "missing {want:?} in\n{}", o.stderr);
    }
}

/// `YYYY-MM-DD` of today plus `days`, in UTC (the date lmp decides publishing by).
pub(crate) fn date_from_today(days: i64) -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = secs.div_euclid(86_400) + days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// QA Q89: a linked page's `expiry_date` or `publish_date` must not stop the site from building
/// on that day. A link to a page that expires within 30 days is a warning at the link; a link to
/// an expired or a scheduled page is a warning, and its text is published without the link.
#[test]
fn a_linked_page_that_expires_or_is_scheduled_warns_and_never_fails_the_build() {
    let p = Project::fixture("basic");
    let second = p.read("site/stories/second-story.md");
    let with = |key: &str, date: &str| {
        second.replace(
            "date: 2018-06-01\n",
            &format!("date: 2018-06-01\n{key}: {date}\n"),
        )
    };
    // Expires in 3 days: warned ahead at the link (first-story.md line 15), still published.
    let soon = date_from_today(3);
    p.write("site/stories/second-story.md", &with("expiry_date", &soon));
    let o = p.ok(&["build"]);
    assert!(
        o.stderr.contains(&format!(
            "first-story.md:15:5: warning: link to second-story.md, which expires after {soon} (in 3 days)"
        )),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("change or remove `expiry_date:` in stories/second-story.md"),
        "{}",
        o.stderr
    );
    assert!(
        p.read("public/stories/first-story/index.html")
            .contains("href=\"/stories/second-story/\">the second story</a>")
    );
    // Far away: no warning.
    p.write(
        "site/stories/second-story.md",
        &with("expiry_date", &date_from_today(60)),
    );
    let o = p.ok(&["build"]);
    assert!(!o.stderr.contains("second-story.md, which"), "{}", o.stderr);
    // Expired yesterday: the build passes; the link's text stays, without the link.
    p.write(
        "site/stories/second-story.md",
        &with("expiry_date", &date_from_today(-1)),
    );
    let o = p.ok(&["build"]);
    assert!(o.errors().is_empty(), "{}", o.stderr);
    assert!(
        o.stderr
            .contains("first-story.md:15:5: warning: link to second-story.md, which has expired"),
        "{}",
        o.stderr
    );
    let html = p.read("public/stories/first-story/index.html");
    assert!(html.contains("and the second story."), "{html}");
    assert!(!html.contains("second-story"), "{html}");
    // Scheduled for tomorrow: the same, and the help says when the link appears.
    let tomorrow = date_from_today(1);
    p.write(
        "site/stories/second-story.md",
        &with("publish_date", &tomorrow),
    );
    let o = p.ok(&["check"]);
    assert!(
        o.stderr.contains(&format!(
            "first-story.md:15:5: warning: link to second-story.md, which is published on {tomorrow} (tomorrow): until then its text is shown without a link"
        )),
        "{}",
        o.stderr
    );
    // With --future the scheduled page and the link are published.
    p.ok(&["build", "--future"]);
    assert!(
        p.read("public/stories/first-story/index.html")
            .contains("href=\"/stories/second-story/\"")
    );
}

/// QA Q86: a story saved as `My Story.MD` (Windows), `story.md.txt` (Word's "Save as") or
/// `.markdown` was silently not published (a warning about PDFs, exit 0): it is an error that
/// names the file lmp would read. A text file that is not markdown keeps the warning.
#[test]
fn markdown_under_another_file_name_is_an_error_with_the_name_to_use() {
    let p = Project::fixture("basic");
    let story = p.read("site/stories/second-story.md");
    p.write("site/stories/My Story.MD", &story);
    p.write("site/stories/draft.md.txt", &story);
    p.write("site/stories/Old Notes.es.markdown", &story);
    p.write("site/stories/notes.txt", "phone numbers\n");
    let o = p.fails(&["check"]);
    let errors = o.errors();
    assert_eq!(errors.len(), 3, "{}", o.stderr);
    for (name, fixed) in [
        ("My Story.MD", "stories/my-story.md"),
        ("draft.md.txt", "stories/draft.md"),
        ("Old Notes.es.markdown", "stories/old-notes.es.md"),
    ] {
        let at = o
            .stderr
            .find(&format!("stories/{name}: error: `{name}` is not read: lmp reads markdown only from files whose name ends in `.md`"))
            .unwrap_or_else(|| panic!("{name}: {}", o.stderr));
        assert!(
            o.stderr[at..].contains(&format!("help: rename it to {fixed} ")),
            "{}",
            o.stderr
        );
    }
    assert!(
        o.stderr
            .contains("stories/notes.txt: warning: this file is not markdown and is not published"),
        "{}",
        o.stderr
    );
    // QA Q101: a Word file gets help to paste its text into a markdown file.
    p.write("site/stories/New Story.docx", "PK");
    let o = p.run(&["check"]);
    assert!(
        o.stderr.contains(
            "help: lmp reads markdown: paste the text into new-story.md with front matter on top"
        ),
        "{}",
        o.stderr
    );
}

/// QA Q88: a link typed `niño-feliz.md` (composed ñ) to a file a Mac saved as `niño-feliz.md`
/// decomposed (n + U+0303), and the reverse, both resolve.
#[test]
fn a_file_name_stored_decomposed_is_found_by_its_typed_name() {
    let p = Project::fixture("basic");
    let story = |title: &str, link: &str| {
        format!(
            "---\ntitle: {title}\ndate: 2024-01-02\nsummary: S\ntopics: [bargaining]\n---\nSee [the other]({link}).\n"
        )
    };
    p.write(
        "site/stories/año-nuevo.md",
        &story("Año nuevo", "niño-feliz.md"),
    );
    p.write(
        "site/stories/nin\u{303}o-feliz.md",
        &story("Niño feliz", "an\u{303}o-nuevo.md"),
    );
    let o = p.ok(&["build"]);
    assert!(o.errors().is_empty(), "{}", o.stderr);
    assert!(
        p.read("public/stories/ano-nuevo/index.html")
            .contains("href=\"/stories/nino-feliz/\"")
    );
    assert!(
        p.read("public/stories/nino-feliz/index.html")
            .contains("href=\"/stories/ano-nuevo/\"")
    );
}

/// QA Q30: a story saved as UTF-16 (Notepad's "Unicode"), with or without its byte order mark,
/// is named as such with how to save it as UTF-8 (it was "not valid UTF-8 … Windows-1252" or
/// "a NUL byte … a binary file").
#[test]
fn a_utf16_file_is_named_with_how_to_save_it_as_utf8() {
    let p = Project::fixture("basic");
    let text = p.read("site/stories/second-story.md");
    let utf16 = |bom: bool| {
        let mut b: Vec<u8> = if bom { vec![0xff, 0xfe] } else { Vec::new() };
        b.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        b
    };
    p.write_bytes("site/stories/second-story.md", &utf16(true));
    p.write_bytes("site/stories/third-story.md", &utf16(false));
    let o = p.run(&["check"]);
    let errors = o.errors();
    for f in ["second-story.md", "third-story.md"] {
        assert!(
            errors.iter().any(|e| e.ends_with(&format!(
                "stories/{f}:1:1: error: the file is saved as UTF-16 (\"Unicode\" in Notepad), not UTF-8"
            ))),
            "{}",
            o.stderr
        );
    }
    assert!(o.stderr.contains("Encoding: UTF-8"), "{}", o.stderr);
}

/// QA s11: a photo, a PDF, a Word document or random bytes saved with a `.md` name said "the
/// file is not valid UTF-8 (byte 0xff) … save the file as UTF-8 in your editor": now what the
/// file is and where it goes instead, each in the same run.
#[test]
fn a_picture_or_document_named_md_says_what_it_is_and_where_it_goes() {
    let p = Project::fixture("basic");
    let jpeg = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("site/static/images/huddle.jpg"),
    )
    .unwrap();
    p.write_bytes("site/stories/photo.md", &jpeg);
    p.write_bytes(
        "site/guides/checklist.md",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
    );
    p.write_bytes(
        "site/pages/notes.md",
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xdf\xa4",
    );
    p.write_bytes(
        "site/tools/blob.md",
        &[0x00, 0x9f, 0xff, 0x10, 0x00, 0x80, 0x81],
    );
    let o = p.fails(&["check"]);
    let errors = o.errors();
    for (f, what) in [
        ("stories/photo.md", "a JPEG picture"),
        ("guides/checklist.md", "a PDF document"),
        ("pages/notes.md", "a ZIP archive (or an Office document)"),
        ("tools/blob.md", "binary data (not text)"),
    ] {
        assert!(
            errors.iter().any(|e| e.ends_with(&format!(
                "site/{f}:1:1: error: this file is {what}, not a markdown text file"
            ))),
            "{f}: {}",
            o.stderr
        );
    }
    assert!(
        o.stderr.contains("pictures go under static/images/"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("go under static/files/"), "{}", o.stderr);
    assert!(!o.stderr.contains("save the file as UTF-8"), "{}", o.stderr);
}

/// QA Q112: one unreadable file (a Windows-1252 apostrophe, UTF-16, emptied) made an error in
/// every file linking to it ("does not exist", "no heading `#step-2`") and in its translation
/// ("the original does not exist"): now its own error only (and the translation's "not built",
/// marked caused, after it).
#[test]
fn an_unreadable_file_is_its_own_error_only() {
    let guide = "site/guides/huddle.md";
    for case in ["cp1252", "utf16", "empty"] {
        let p = Project::bilingual();
        p.write(
            "site/guides/huddle.es.md",
            "---\ntitle: Cómo hacer una reunión\nsummary: Diez minutos.\n---\n## Reunir al equipo {#step-1}\n\nTodos de pie.\n\n## Revisar el tablero {#step-2}\n\nListo.\n",
        );
        let text = p.read(guide);
        let bytes: Vec<u8> = match case {
            "cp1252" => text
                .replacen("Everyone", "Everyone\u{2019}s", 1)
                .replace('\u{2019}', "\u{92}")
                .chars()
                .map(|c| c as u32 as u8)
                .collect(),
            "utf16" => [0xff, 0xfe]
                .into_iter()
                .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
                .collect(),
            _ => Vec::new(),
        };
        p.write_bytes(guide, &bytes);
        let o = p.run(&["check"]);
        let errors = o.errors();
        let own = match case {
            "cp1252" => {
                "site/guides/huddle.md:11:9: error: the file is not valid UTF-8 (byte 0x92: a curly apostrophe ’ as Windows-1252 writes it)"
            }
            "utf16" => {
                "site/guides/huddle.md:1:1: error: the file is saved as UTF-16 (\"Unicode\" in Notepad), not UTF-8"
            }
            _ => "site/guides/huddle.md:1:1: error: the file is empty",
        };
        assert_eq!(errors.first().copied(), Some(own), "{case}: {}", o.stderr);
        assert!(
            errors
                .iter()
                .skip(1)
                .all(|e| e.contains("huddle.es.md:1:1: error: this `es` translation is not built")),
            "{case}: {}",
            o.stderr
        );
        assert!(!o.stderr.contains("does not exist"), "{case}: {}", o.stderr);
        assert!(
            !o.stderr.contains("there is no heading"),
            "{case}: {}",
            o.stderr
        );
    }
}

/// QA Q100: a story downloaded or copied twice is a warning at each copy, naming the original.
#[test]
fn a_story_copied_twice_is_warned_at_the_copies() {
    let p = Project::fixture("basic");
    let story = p.read("site/stories/second-story.md");
    p.write("site/stories/second-story (1).md", &story);
    p.write("site/stories/Copy of second-story.md", &story);
    let o = p.ok(&["check"]);
    for copy in ["second-story (1).md", "Copy of second-story.md"] {
        assert!(
            o.stderr.contains(&format!(
                "site/stories/{copy}:2:8: warning: this is a copy of stories/second-story.md (the same title and text): both are published"
            )),
            "{copy}: {}",
            o.stderr
        );
    }
    assert!(
        !o.stderr
            .contains("site/stories/second-story.md:2:8: warning"),
        "{}",
        o.stderr
    );
}

/// QA Q101: a front matter pasted twice is warned at the second block.
#[test]
fn a_second_front_matter_block_is_warned() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/twice.md",
        "---\ntitle: Twice\ndate: 2024-01-02\nsummary: x\n---\n---\ntitle: Twice\ndate: 2024-01-02\nsummary: x\n---\nText.\n",
    );
    let o = p.ok(&["check"]);
    assert!(
        o.stderr.contains(
            "site/stories/twice.md:6:1: warning: the text starts with a second front matter block"
        ),
        "{}",
        o.stderr
    );
}

/// QA Q101: with `site/regions/` gone (a bad merge or checkout), one error names the folder
/// first (it was a broken link first, and each "unknown region" had the help "regions are the
/// files in regions/: " with an empty list); a topic that several files use but config.yaml
/// no longer defines is one error in config.yaml, not "did you mean …?" at each file.
#[test]
fn a_missing_regions_folder_or_a_removed_topic_is_one_root_cause() {
    let p = Project::fixture("basic");
    std::fs::remove_dir_all(p.path("site/regions")).unwrap();
    let o = p.fails(&["check"]);
    let errors = o.errors();
    assert!(
        errors[0].starts_with(
            "site/regions: error: site/regions/ is missing, so every region is unknown:"
        ),
        "{}",
        o.stderr
    );
    assert!(
        !o.stderr.contains("regions are the files in regions/: \n"),
        "{}",
        o.stderr
    );
    let json = p.run(&["check", "--format", "json"]);
    let refs: Vec<&str> = json
        .stdout
        .lines()
        .filter(|l| l.contains("unknown region"))
        .collect();
    assert!(!refs.is_empty(), "{}", json.stdout);
    assert!(
        refs.iter().all(|l| l.contains("\"caused\":true")),
        "{}",
        json.stdout
    );

    let p = Project::fixture("basic");
    let cfg = p.read("site/config.yaml");
    p.write(
        "site/config.yaml",
        &cfg.replace("    - {slug: ubt-basics, name: UBT basics}\n", ""),
    );
    let o = p.fails(&["check"]);
    let errors = o.errors();
    assert!(
        errors[0].starts_with("site/config.yaml:10:3: error: 4 references in 4 files use the topic `ubt-basics`, which is not under `taxonomies: topics:` here"),
        "{}",
        o.stderr
    );
    assert!(
        !o.stderr.contains("did you mean `bargaining`"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("see the error at site/config.yaml: `ubt-basics` is not a topic there"),
        "{}",
        o.stderr
    );
}

/// QA Q125: a region whose file is a draft: its references say so (they said "unknown region"
/// with the list of the other regions).
#[test]
fn a_reference_to_a_draft_region_says_it_is_not_published() {
    let p = Project::fixture("basic");
    let hawaii = p.read("site/regions/hawaii.md");
    p.write(
        "site/regions/hawaii.md",
        &hawaii.replacen("---\n", "---\ndraft: true\n", 1),
    );
    let o = p.fails(&["check"]);
    assert!(
        o.stderr.contains("error: region `hawaii` is not published (its file in regions/ is a draft, scheduled or expired)"),
        "{}",
        o.stderr
    );
    assert!(
        !o.stderr.contains("unknown region `hawaii`"),
        "{}",
        o.stderr
    );
}

/// QA s9 Q132: `date: 2026-11-22T10:00:00-08:00` (Hugo's and WordPress's form) was cut to its
/// day without a word. It is still read as that day, as written (not moved to UTC's day), with a
/// warning at the date that the time is left out and how to write it.
#[test]
fn a_date_with_a_time_is_its_day_with_a_warning() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/timed.md",
        "---\ntitle: Timed\ndate: 2016-11-22T23:30:00-08:00\nsummary: x\ntopics: [ubt-basics]\n---\nText.\n",
    );
    let o = p.ok(&["build"]);
    assert!(
        o.stderr.contains("stories/timed.md:3:7: warning: `date`: the time `23:30:00-08:00` is left out: lmp dates a page by its day, November 22, 2016"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("write `date: 2016-11-22`"),
        "{}",
        o.stderr
    );
    let html = p.read("public/stories/timed/index.html");
    assert!(html.contains("2016-11-22"), "{html}");
    assert!(!html.contains("2016-11-23"), "{html}");
    // A plain date: no warning.
    p.write(
        "site/stories/timed.md",
        "---\ntitle: Timed\ndate: 2016-11-22\nsummary: x\ntopics: [ubt-basics]\n---\nText.\n",
    );
    let o = p.ok(&["check"]);
    assert!(!o.stderr.contains("is left out"), "{}", o.stderr);
}

/// QA s9 Q133: a title with U+202E (the right-to-left override) was published as it was: the
/// browser tab, the cards and the feed showed its words backwards. A warning at its place (the
/// terminal shows the character escaped, so the message itself is not turned around).
#[test]
fn a_text_direction_override_is_a_warning_at_its_place() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/rlo.md",
        "---\ntitle: \"Safety \u{202e}first\"\ndate: 2016-11-22\nsummary: x\ntopics: [ubt-basics]\n---\nText with \u{2067}isolate\u{2069} in it.\n",
    );
    let o = p.ok(&["build"]);
    assert!(
        o.stderr.contains("stories/rlo.md:2:16: warning: an invisible right-to-left override character (U+202E) is in the text"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains(
            "stories/rlo.md:7:11: warning: an invisible right-to-left isolate character (U+2067)"
        ),
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains('\u{202e}'), "{}", o.stderr);
    assert!(o.stderr.contains("\\u{202e}first"), "{}", o.stderr);
}

/// QA s9 Q133: `[b](/feed.xml)` (Jekyll's feed address; Hugo's is `/index.xml`, WordPress's
/// `/feed/`) said "put the file in the site's static folder", which would then be refused: it
/// names this site's feed.
#[test]
fn a_link_to_another_generators_feed_names_the_sites_feed() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/feedlink.md",
        "---\ntitle: Feed link\ndate: 2016-11-22\nsummary: x\ntopics: [ubt-basics]\n---\n[feed](/feed.xml), [hugo](/index.xml) and [wp](/feed/).\n",
    );
    let o = p.fails(&["check"]);
    assert_eq!(
        o.stderr.matches("help: the site's news feed is `/stories/atom.xml` (the stories, newest first): link that").count(),
        3,
        "{}",
        o.stderr
    );
}

/// QA Q132: a story dated in the future (`date: 2099-01-01`, or 2062 typed for 2026) was
/// published without a word, first on the home page and in the feed for decades. It is a warning
/// at its date that says how to schedule a story; the page is still published (a warning, not an
/// error). Tomorrow is not warned about (a time zone ahead of UTC), nor is a draft.
#[test]
fn a_story_dated_in_the_future_is_a_warning_at_its_date() {
    let p = Project::fixture("basic");
    let later = date_from_today(400);
    let story = |date: &str| {
        format!(
            "---\ntitle: Date in future\ndate: {date}\nsummary: x\ntopics: [ubt-basics]\n---\nText.\n"
        )
    };
    p.write("site/stories/future.md", &story(&later));
    for cmd in ["check", "build"] {
        let o = p.ok(&[cmd]);
        assert!(
            o.stderr.contains(&format!(
                "stories/future.md:3:7: warning: `date: {later}` is in the future (today is "
            )),
            "{}",
            o.stderr
        );
        assert!(
            o.stderr.contains(&format!("add `publish_date: {later}`")),
            "{}",
            o.stderr
        );
        assert_eq!(
            o.stderr.matches("is in the future").count(),
            1,
            "{}",
            o.stderr
        );
    }
    assert!(p.exists("public/stories/future/index.html"));
    // Tomorrow, today: no warning.
    for days in [1, 0] {
        p.write("site/stories/future.md", &story(&date_from_today(days)));
        let o = p.ok(&["check"]);
        assert!(!o.stderr.contains("is in the future"), "{}", o.stderr);
    }
    // A draft is not published: nothing to warn about.
    p.write(
        "site/stories/future.md",
        &story(&later).replace("summary: x\n", "summary: x\ndraft: true\n"),
    );
    let o = p.ok(&["check"]);
    assert!(!o.stderr.contains("is in the future"), "{}", o.stderr);
}

/// QA s13: a folder deleted with its files (`site/videos/`): the links into it said "did you
/// mean" a page of unrelated words, and a page linking to `../videos/huddle-video.md` was told
/// to link to itself. Now the folder is named as gone, and no help names the page the link is
/// on.
#[test]
fn links_into_a_deleted_folder_say_the_folder_is_gone_and_never_suggest_their_own_page() {
    let p = Project::fixture("basic");
    let guide = p.read("site/guides/huddle.md");
    p.write(
        "site/guides/huddle.md",
        &format!("{guide}\nWatch [the huddle video](../videos/huddle.md) and [the basics](../videos/basics-video.md).\n"),
    );
    p.write(
        "site/videos/huddle.md",
        "---\ntitle: The huddle video\ndate: 2015-03-01\nsummary: A huddle.\nduration: \"3:45\"\ntranscript: |\n  Everyone meets.\n---\n",
    );
    // A story shows the video (front matter `video:`).
    p.write(
        "site/stories/with-video.md",
        "---\ntitle: With a video\ndate: 2015-03-02\nsummary: A story.\nvideo: huddle\n---\nText.\n",
    );
    p.ok(&["check"]);
    std::fs::remove_dir_all(p.path("site/videos")).unwrap();
    let o = p.fails(&["check"]);
    let helps: Vec<&str> = o.stderr.lines().filter(|l| l.contains("help:")).collect();
    // QA s14: the reference was told to "write the file name (without .md) of a document in
    // videos/", a folder that is gone.
    assert!(
        o.stderr.contains("site/stories/with-video.md:5:8: error: there is no video `huddle`")
            && o.stderr.contains(
                "help: the site has no folder videos/: if it was deleted, moved or renamed, put it back; else remove `huddle` from `video:`"
            ),
        "{}",
        o.stderr
    );
    assert!(
        !o.stderr.contains("of a document in videos/"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("site/guides/huddle.md:")
            && o.stderr
                .contains("error: broken link: ../videos/huddle.md does not exist"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains(
            "help: the site has no folder videos/: check the folder's name in the link; if the folder was deleted, moved or renamed, put it back, or link the document where it is now"
        ),
        "{}",
        o.stderr
    );
    assert!(
        !helps.iter().any(|h| h.contains("huddle.md`")),
        "a help names the page the link is on:\n{}",
        o.stderr
    );
    // QA s15: a folder the site never had is not "gone any more"; a near name is a typo.
    p.write(
        "site/guides/huddle.md",
        &format!("{guide}\nFill in [the form](../forms/huddle-form.md) from [the stories](../storys/huddle-story.md).\n"),
    );
    let o = p.fails(&["check"]);
    assert!(!o.stderr.contains("any more"), "{}", o.stderr);
    assert!(
        o.stderr
            .contains("error: broken link: ../forms/huddle-form.md does not exist")
            && o.stderr.contains(
                "help: the site has no folder forms/: check the folder's name in the link;"
            )
            && o.stderr
                .contains("error: broken link: ../storys/huddle-story.md does not exist")
            && o.stderr
                .contains("help: the site has no folder storys/: did you mean `stories/`?"),
        "{}",
        o.stderr
    );
}

/// QA s13: `language: english` said "`languages` does not list the default language
/// `english`" at `languages:`, with "add `english: {name: English}`"; `ES:` was an error at
/// `languages:` too. Each is now at the line that is wrong, with the code meant.
#[test]
fn a_language_written_as_a_name_or_in_capitals_is_an_error_where_it_is_written() {
    let p = Project::bilingual();
    let cfg = p.read("site/config.yaml");
    p.write(
        "site/config.yaml",
        &cfg.replace("language: en\n", "language: english\n"),
    );
    let o = p.fails(&["check"]);
    assert_eq!(o.errors().len(), 1, "{}", o.stderr);
    assert!(
        o.stderr.contains(
            "site/config.yaml:4:11: error: the default language `english` (`language:`) is not one of the site's languages (en, es)"
        ),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("help: did you mean `language: en`?"),
        "{}",
        o.stderr
    );
    p.write("site/config.yaml", &cfg.replace("\n  es:\n", "\n  ES:\n"));
    let o = p.fails(&["check"]);
    let line = cfg.lines().position(|l| l == "  es:").unwrap() + 1;
    assert!(
        o.stderr.contains(&format!(
            "site/config.yaml:{line}:3: error: `ES` in `languages` is not a lower-case language tag"
        )),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("help: write `es`: language codes are lower case"),
        "{}",
        o.stderr
    );
}

/// QA s14: `static/` renamed `statik/` while serving a 10,000-document site: 725 warnings (one
/// per file in it, "not markdown and not published", help "put files to publish under
/// static/"), then 1,627 errors "the file … does not exist", none naming the cause. Now one
/// error at the renamed folder, first, and the missing files caused by it.
#[test]
fn a_renamed_static_folder_is_one_root_error_and_the_missing_files_are_caused() {
    let p = Project::fixture("basic");
    p.write("site/static/files/report.txt", "A report.\n");
    let guide = p.read("site/guides/huddle.md");
    p.write(
        "site/guides/huddle.md",
        &format!("{guide}\nRead [the report](/files/report.txt).\n"),
    );
    p.ok(&["check"]);
    std::fs::rename(p.path("site/static"), p.path("site/statik")).unwrap();
    let o = p.fails(&["check"]);
    let errors = o.errors();
    assert_eq!(
        errors.first().copied(),
        Some(
            "site/statik: error: `statik/` is not the folder of the site's pictures and files, so its 2 files are not published"
        ),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("help: did you mean `static/`? Rename the folder to `static/`: pictures and files are published from there"),
        "{}",
        o.stderr
    );
    // The tool's `file:` and the guide's link: caused by it, listed after it.
    for caused in [
        "site/tools/huddle-checklist.md:5:7: error: ",
        "site/guides/huddle.md:",
    ] {
        assert!(
            errors.iter().skip(1).any(|e| e.starts_with(caused)),
            "no {caused:?} after the root error:\n{}",
            o.stderr
        );
    }
    assert_eq!(
        o.stderr
            .matches("help: the file is most likely in site/statik, which is not published: see the error there; this one then goes away")
            .count(),
        errors.len() - 1,
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains("is not markdown"), "{}", o.stderr);
    // Renamed back: all good.
    std::fs::rename(p.path("site/statik"), p.path("site/static")).unwrap();
    p.ok(&["check"]);
}
