//! Invalid sites, one per failure mode: each applies one mistake to the basic fixture, runs
//! `lmp build`, and pins the exact diagnostic text (insta snapshots in `snapshots/`). Every case
//! must fail with exit code 1 and leave the previous `public/` untouched.

use crate::harness::Project;

const STORY_HEAD: &str =
    "---\ntitle: A story\ndate: 2020-01-01\nsummary: A summary.\ntopics: [ubt-basics]\n";

/// (case name, file to write, its contents).
fn cases() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let s = |x: &str| x.as_bytes().to_vec();
    let story = |extra: &str, body: &str| format!("{STORY_HEAD}{extra}---\n{body}\n").into_bytes();
    let region = |fields: &str| format!("---\ntitle: Georgia\n{fields}---\nText.\n").into_bytes();
    let mut laughs = String::from(
        "---\ntitle: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (i, w) in ["b", "c", "d", "e", "f", "g", "h", "i"].iter().enumerate() {
        let prev = ["a", "b", "c", "d", "e", "f", "g", "h"][i];
        laughs.push_str(&format!(
            "x{w}: &{w} [{}]\n",
            vec![format!("*{prev}"); 9].join(",")
        ));
    }
    laughs.push_str("---\n");
    vec![
        (
            "malformed_yaml",
            "site/stories/bad.md",
            s("---\ntitle: [unclosed\ndate: 2020-01-01\nsummary: s\n---\nText.\n"),
        ),
        (
            "yaml_bad_indentation",
            "site/stories/bad.md",
            s("---\ntitle: A story\n  date: 2020-01-01\nsummary: s\n---\nText.\n"),
        ),
        (
            "missing_required_field",
            "site/stories/bad.md",
            s("---\ntitle: A story\ndate: 2020-01-01\ntopics: [ubt-basics]\n---\nText.\n"),
        ),
        (
            "unknown_field_with_suggestion",
            "site/stories/bad.md",
            story("tittle: Typo\n", "Text."),
        ),
        (
            "unknown_field_without_suggestion",
            "site/stories/bad.md",
            story("colour: blue\n", "Text."),
        ),
        (
            "date_not_iso",
            "site/stories/bad.md",
            s(
                "---\ntitle: A story\ndate: 2021-6-30\nsummary: s\ntopics: [ubt-basics]\n---\nText.\n",
            ),
        ),
        (
            "date_does_not_exist",
            "site/stories/bad.md",
            s(
                "---\ntitle: A story\ndate: 2021-06-31\nsummary: s\ntopics: [ubt-basics]\n---\nText.\n",
            ),
        ),
        (
            "figure_with_commas",
            "site/regions/georgia.md",
            region("members: 4,500,000\n"),
        ),
        (
            "figure_in_words",
            "site/regions/georgia.md",
            region("members: 4.5 million\n"),
        ),
        (
            "figure_with_underscores",
            "site/regions/georgia.md",
            region("members: 4_500_000\n"),
        ),
        (
            "high_performing_more_than_teams",
            "site/regions/georgia.md",
            region("ubts: 108\nhigh_performing_ubts: 180\n"),
        ),
        (
            "unknown_topic",
            "site/stories/bad.md",
            s(
                "---\ntitle: A story\ndate: 2020-01-01\nsummary: s\ntopics: [ubt-basic]\n---\nText.\n",
            ),
        ),
        (
            "unknown_region",
            "site/stories/bad.md",
            story("regions: [hawai]\n", "Text."),
        ),
        (
            "unknown_audience",
            "site/stories/bad.md",
            story("audiences: [everyone]\n", "Text."),
        ),
        (
            "unknown_series",
            "site/stories/bad.md",
            story("series: [peer-advise]\n", "Text."),
        ),
        (
            "practice_unknown_region",
            "site/practices/bad.md",
            s("---\ntitle: P\nsummary: s\nregion: colorad\ntopics: [ubt-basics]\n---\nText.\n"),
        ),
        (
            "missing_video",
            "site/stories/bad.md",
            story("video: no-such-video\n", "Text."),
        ),
        (
            "missing_tool",
            "site/guides/bad.md",
            s(
                "---\ntitle: G\nsummary: s\naudiences: [managers]\ntools: [huddle-checklst]\n---\nText.\n",
            ),
        ),
        (
            "missing_tool_file",
            "site/tools/bad.md",
            s(
                "---\ntitle: T\nsummary: s\nkind: checklist\nfile: /files/nothing-here.pdf\n---\nText.\n",
            ),
        ),
        (
            "tool_kind_typo",
            "site/tools/bad.md",
            s(
                "---\ntitle: T\nsummary: s\nkind: checklst\nfile: /files/huddle-checklist.txt\n---\nText.\n",
            ),
        ),
        (
            "image_without_alt",
            "site/stories/bad.md",
            story("image: /files/huddle-checklist.txt\n", "Text."),
        ),
        (
            "research_bad_link",
            "site/research/bad.md",
            s(
                "---\ntitle: R\nyear: 2011\npublisher: HBR\nsummary: s\nlink: www.example.org\n---\nText.\n",
            ),
        ),
        (
            "research_year_out_of_range",
            "site/research/bad.md",
            s("---\ntitle: R\nyear: 211\npublisher: HBR\nsummary: s\n---\nText.\n"),
        ),
        (
            "boolean_as_word",
            "site/stories/bad.md",
            story("featured: yes\n", "Text."),
        ),
        (
            "title_is_a_list",
            "site/stories/bad.md",
            s(
                "---\ntitle: [a, b]\ndate: 2020-01-01\nsummary: s\ntopics: [ubt-basics]\n---\nText.\n",
            ),
        ),
        (
            "slug_not_a_slug",
            "site/stories/bad.md",
            story("slug: Not A Slug\n", "Text."),
        ),
        (
            "results_unknown_key",
            "site/practices/bad.md",
            s(
                "---\ntitle: P\nsummary: s\nregion: colorado\ntopics: [ubt-basics]\nresults:\n  - {measure: Falls, befor: 3, after: 1}\n---\nText.\n",
            ),
        ),
        (
            "broken_link",
            "site/stories/bad.md",
            story("", "See [the guide](../guides/no-such-guide.md) for more."),
        ),
        (
            "broken_link_near_miss",
            "site/stories/bad.md",
            story("", "Intro.\n\nSee [the guide](../guides/hudle.md)."),
        ),
        (
            "broken_anchor",
            "site/stories/bad.md",
            story("", "See [step 9](../guides/huddle.md#step-9)."),
        ),
        (
            "broken_fragment_on_same_page",
            "site/stories/bad.md",
            story("", "Jump [down](#nowhere).\n\n## Somewhere"),
        ),
        (
            "link_to_draft",
            "site/stories/bad.md",
            story("", "See [the draft](draft-story.md)."),
        ),
        (
            "duplicate_slug",
            "site/stories/bad.md",
            story("slug: first-story\n", "Text."),
        ),
        (
            "alias_collides_with_page",
            "site/stories/bad.md",
            story("aliases: [/stories/second-story/]\n", "Text."),
        ),
        (
            "page_takes_generated_url",
            "site/pages/search.md",
            s("---\ntitle: Search\n---\nText.\n"),
        ),
        (
            "not_utf8",
            "site/stories/bad.md",
            b"---\ntitle: Caf\xe9\ndate: 2020-01-01\nsummary: s\n---\n".to_vec(),
        ),
        ("empty_file", "site/stories/bad.md", Vec::new()),
        (
            "front_matter_never_closes",
            "site/stories/bad.md",
            s("---\ntitle: A story\ndate: 2020-01-01\n\nText without a closing line.\n"),
        ),
        (
            "no_front_matter",
            "site/stories/bad.md",
            s("# A story\n\nText.\n"),
        ),
        ("billion_laughs", "site/stories/bad.md", laughs.into_bytes()),
        (
            "unknown_collection_folder",
            "site/storys/bad.md",
            story("", "Text."),
        ),
        (
            "config_unknown_key",
            "site/config.yaml",
            s(
                "title: T\nbase_url: https://example.org/\nbaseurl: https://example.org/\ntaxonomies:\n  topics:\n    - {slug: ubt-basics, name: UBT basics}\n",
            ),
        ),
        (
            "config_missing_base_url",
            "site/config.yaml",
            s("title: T\ntaxonomies:\n  topics:\n    - {slug: ubt-basics, name: UBT basics}\n"),
        ),
        (
            "config_bad_base_url",
            "site/config.yaml",
            s("title: T\nbase_url: example.org\n"),
        ),
        (
            "config_regions_taxonomy",
            "site/config.yaml",
            s(
                "title: T\nbase_url: https://example.org/\ntaxonomies:\n  regions:\n    - {slug: x, name: X}\n",
            ),
        ),
    ]
}

#[test]
fn every_invalid_site_fails_with_a_pinned_diagnostic() {
    let cases = cases();
    assert!(cases.len() >= 30);
    // One good build, copied into each case (with its manifest): its output must stay as it is.
    let good = Project::fixture("basic");
    good.ok(&["build"]);
    let before = good.snapshot_dir("public");
    for (name, file, contents) in cases {
        let p = Project::fixture("basic");
        crate::harness::copy_dir(&good.path("public"), &p.path("public"));
        std::fs::copy(
            good.path(".public.lmp-manifest"),
            p.path(".public.lmp-manifest"),
        )
        .unwrap();
        assert_eq!(before, p.snapshot_dir("public"));
        p.write_bytes(file, &contents);
        let o = p.run(&["build"]);
        assert_eq!(o.code, 1, "case {name} did not fail:\n{}", o.stderr);
        assert_eq!(
            before,
            p.snapshot_dir("public"),
            "case {name} changed public/"
        );
        insta::assert_snapshot!(format!("invalid_{name}"), o.stderr_redacted());
    }
}

#[test]
fn twelve_mistakes_in_twelve_files_are_all_reported_in_one_run() {
    let p = Project::fixture("basic");
    let mistakes: Vec<(String, String)> = (0..12)
        .map(|i| {
            let extra = match i % 4 {
                0 => "tittle: x\n".to_string(),
                1 => "regions: [hawai]\n".to_string(),
                2 => "featured: maybe\n".to_string(),
                _ => "updated: 2021-02-30\n".to_string(),
            };
            (
                format!("site/stories/mistake-{i:02}.md"),
                // Each its own title (the same title twice is a warning of its own).
                format!(
                    "{}{extra}---\nText.\n",
                    STORY_HEAD.replace("title: A story", &format!("title: Story {i}"))
                ),
            )
        })
        .collect();
    for (f, t) in &mistakes {
        p.write(f, t);
    }
    let started = std::time::Instant::now();
    let o = p.run(&["check", "--format", "json"]);
    let elapsed = started.elapsed();
    assert_eq!(o.code, 1);
    let lines: Vec<serde_json::Value> = o
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 12, "{}", o.stdout);
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(l["path"], format!("site/stories/mistake-{i:02}.md"));
        assert_eq!(l["line"], 6, "{l}");
        assert_eq!(l["severity"], "error");
    }
    assert_eq!(lines[0]["col"], 1);
    assert_eq!(lines[1]["col"], 10);
    // Not a timing assertion of the product: a sanity bound far above the expected few ms.
    assert!(elapsed.as_secs() < 10);
}

#[test]
fn github_format_prints_annotations() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/bad.md",
        &format!("{STORY_HEAD}tittle: x\n---\nText.\n"),
    );
    let o = p.run(&["check", "--format", "github"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("::error file=site/stories/bad.md,line=6,col=1::unknown field `tittle` in stories%0Ahelp: did you mean `title`?"), "{}", o.stderr);
}

#[test]
fn bom_and_crlf_files_build() {
    let p = Project::fixture("basic");
    let text = format!("\u{feff}{STORY_HEAD}---\r\nBody with CRLF.\r\n\r\n## Heading\r\n")
        .replace('\n', "\r\n")
        .replace("\r\r\n", "\r\n");
    p.write("site/stories/windows.md", &text);
    p.ok(&["build"]);
    assert!(
        p.read("public/stories/windows/index.html")
            .contains("Body with CRLF.")
    );
}

#[test]
fn warnings_do_not_fail_the_build() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/no-topics.md",
        "---\ntitle: No topics\ndate: 2020-01-01\nsummary: s\n---\nText.\n",
    );
    p.write("site/stories/notes.txt", "stray");
    let o = p.ok(&["build"]);
    assert!(
        o.stderr
            .contains("site/stories/no-topics.md:2:8: warning: this story has no topics"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("site/stories/notes.txt: warning: this file is not markdown"),
        "{}",
        o.stderr
    );
}

#[test]
fn a_huge_file_is_one_clear_error() {
    let p = Project::fixture("basic");
    let mut body = String::with_capacity(21_000_000);
    while body.len() < 20_000_000 {
        body.push_str("Partnership teams meet every week to improve care and service. ");
        if body.len() % 4096 < 64 {
            body.push_str("\n\n");
        }
    }
    p.write(
        "site/stories/huge.md",
        &format!("{STORY_HEAD}---\n{body}\n"),
    );
    let o = p.run(&["build"]);
    assert!(!o.stderr.contains("panicked"));
    // QA Q16: not built silently (a 52 MB story took 510 MB of memory): one error at the file.
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr
            .contains("huge.md: error: the file is 21 MB: a content file may have at most 10 MB"),
        "{}",
        o.stderr
    );
}
