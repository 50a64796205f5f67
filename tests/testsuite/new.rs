//! `lmp new` and slugs: odd titles either give a document that `lmp check` accepts or a clear
//! refusal; slugs are transliterated (one slugifier), shortened, and never take a generated URL;
//! slug help always suggests a valid slug.

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;

use crate::harness::{COLLECTIONS, Project};

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[test]
fn new_refuses_titles_it_cannot_write() {
    let p = Project::fixture("basic");
    for (title, why) in [
        (
            "Two\nlines",
            "contains a line break, which a title cannot hold",
        ),
        ("Carriage\rreturn", "contains a line break"),
        ("Tab\there", "contains a tab"),
        ("Bell\u{7}", "contains the control character U+0007"),
        ("Line\u{2028}separator", "contains a line break"),
        ("   ", "is empty"),
    ] {
        let o = p.run(&["new", "story", title]);
        assert_eq!(o.code, 1, "{title:?}: {}", o.stderr);
        assert!(o.stderr.contains(why), "{title:?}: {}", o.stderr);
        assert!(o.stderr.contains("= help:"), "{}", o.stderr);
        // The title is shown escaped: no raw control character reaches the terminal.
        assert!(!o.stderr.contains('\u{7}') && !o.stderr.contains('\r'));
    }
    assert_eq!(
        std::fs::read_dir(p.path("site/stories")).unwrap().count(),
        4
    );
}

#[test]
fn new_shortens_long_slugs_on_a_word() {
    let p = Project::fixture("basic");
    let title = "Partnership ".repeat(400) + "end";
    let o = p.ok(&["new", "story", &title]);
    let path = o.stdout.trim();
    let stem = path
        .strip_prefix("site/stories/")
        .and_then(|s| s.strip_suffix(".md"))
        .unwrap_or_else(|| panic!("{path}"));
    assert!(stem.len() <= 80 && is_slug(stem), "{stem}");
    assert!(stem.ends_with("partnership"), "{stem}");
    assert!(p.read(path).contains(&title));
    p.ok(&["check"]);
}

#[test]
fn new_transliterates_titles_and_falls_back_to_the_collection_n() {
    let p = Project::fixture("basic");
    for (title, file) in [
        ("Über Straße", "site/stories/uber-strasse.md"),
        ("Café crème", "site/stories/cafe-creme.md"),
        // QA Q60: "años" is not written "anos".
        (
            "Ñandú: niños y años",
            "site/stories/niandu-ninios-y-anios.md",
        ),
        // QA s12: `page-1.md` among the stories; now named after the collection, with a note.
        ("!!!", "site/stories/story-1.md"),
        ("???", "site/stories/story-2.md"),
        ("...", "site/stories/story-3.md"),
    ] {
        let o = p.ok(&["new", "story", title]);
        assert_eq!(o.stdout.trim(), file, "{title}");
        if title.starts_with(['!', '?', '.']) {
            assert!(
                o.stderr.contains(&format!(
                    "note: the title \"{title}\" has no letter or digit to name the file after, so it is {file}: rename the file"
                )),
                "{}",
                o.stderr
            );
        } else {
            assert!(!o.stderr.contains("no letter or digit"), "{}", o.stderr);
        }
    }
    assert_eq!(
        p.ok(&["new", "guide", "***"]).stdout.trim(),
        "site/guides/guide-1.md"
    );
    let o = p.ok(&["new", "story", "שלום-👋"]);
    let stem = o
        .stdout
        .trim()
        .trim_start_matches("site/stories/")
        .trim_end_matches(".md");
    assert!(is_slug(stem), "{stem}");
    p.ok(&["check"]);
}

#[test]
fn new_never_takes_the_url_of_a_generated_page() {
    let p = Project::fixture("basic");
    for (title, file) in [
        ("Stories", "site/pages/stories-page.md"),
        ("Search", "site/pages/search-page.md"),
        ("Regions", "site/pages/regions-page.md"),
    ] {
        assert_eq!(p.ok(&["new", "page", title]).stdout.trim(), file);
    }
    p.ok(&["check"]);
}

#[test]
fn whatever_the_title_new_writes_a_document_that_checks_or_refuses_clearly() {
    // Property-style: 40 generated titles (YAML specials, quotes, backslashes, markdown, every
    // script, emoji, controls, very long ones), in several collections.
    let p = Project::fixture("basic");
    let piece = proptest::prop_oneof![
        proptest::string::string_regex(r#"[-:#&*!|>'"%@`\[\]{},?\\ ]{1,4}"#).unwrap(),
        proptest::string::string_regex("[a-zA-Z0-9 ]{1,12}").unwrap(),
        proptest::string::string_regex("[ÀÉÎÕÜßæøåçñ Ωπλ ж ש ع 日本語 한국 👋🎉 ]{1,6}").unwrap(),
        proptest::string::string_regex("[\u{1}-\u{1f}\u{7f}\u{85}\u{2028}\u{feff}]").unwrap(),
        proptest::string::string_regex("(---|\\.\\.\\.|~|null|true|yes|no|0x1F|1e3|<b>|&amp;)")
            .unwrap(),
        proptest::string::string_regex("[a-z]{30,60}").unwrap(),
    ];
    let titles = proptest::collection::vec(piece, 1..12).prop_map(|v| v.concat());
    let mut runner = TestRunner::deterministic();
    // (Practices and tools have required references, a region and a file, that the author fills
    // in: their placeholders fail the check by design, whatever the title.)
    let collections = ["story", "guide", "page", "video", "research"];
    let mut written = Vec::new();
    for i in 0..40 {
        let title = titles.new_tree(&mut runner).unwrap().current();
        let collection = collections[i % collections.len()];
        let o = p.run(&["new", collection, &title]);
        let refusable = title.trim().is_empty()
            || title
                .chars()
                .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'));
        match o.code {
            0 => {
                assert!(!refusable, "{title:?} was accepted");
                let path = o.stdout.trim().to_string();
                let stem = path.rsplit('/').next().unwrap().trim_end_matches(".md");
                assert!(is_slug(stem) && stem.len() <= 85, "{title:?} → {path}");
                written.push((title, path));
            }
            1 if refusable || o.stderr.contains("never overwrites") => {
                assert!(o.stderr.contains("= help:"), "{}", o.stderr);
            }
            2 if title.starts_with('-') => {} // clap reads it as a flag: a usage error
            code => panic!("{title:?}: exit {code}: {}", o.stderr),
        }
    }
    assert!(
        written.len() >= 15,
        "only {} titles were written",
        written.len()
    );
    let o = p.run(&["check"]);
    assert_eq!(o.code, 0, "{written:#?}\n{}", o.stderr);
    // Each title reads back exactly: the page shows it.
    p.ok(&["build", "--drafts"]);
}

#[test]
fn slug_help_always_suggests_a_valid_slug() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/hello.md",
        "---\ntitle: Hello\ndate: 2020-01-01\nsummary: s\ntopics: [ubt-basics]\nslug: \"שלום-👋\"\n---\nHi.\n",
    );
    p.write(
        "site/stories/second-try.md",
        "---\ntitle: Second\ndate: 2020-01-01\nsummary: s\ntopics: [ubt-basics]\nslug: \"!!!\"\n---\nHi.\n",
    );
    p.write(
        "site/stories/german.md",
        "---\ntitle: German\ndate: 2020-01-01\nsummary: s\ntopics: [ubt-basics]\nslug: Über-Straße\n---\nHi.\n",
    );
    let o = p.fails(&["check"]);
    let helps: Vec<&str> = o
        .stderr
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix("= help: use lowercase letters, digits and dashes, e.g. `")
        })
        .map(|l| l.trim_end_matches('`'))
        .collect();
    assert_eq!(helps.len(), 3, "{}", o.stderr);
    for h in &helps {
        assert!(is_slug(h), "suggested `{h}`:\n{}", o.stderr);
    }
    assert!(helps.contains(&"uber-strasse"), "{helps:?}");
    assert!(helps.contains(&"second-try"), "{helps:?}");
}

#[test]
fn file_names_are_transliterated_into_urls() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/Über-Straße.md",
        "---\ntitle: Über\ndate: 2020-01-01\nsummary: s\ntopics: [ubt-basics]\n---\nHi.\n",
    );
    p.ok(&["build"]);
    assert!(p.exists("public/stories/uber-strasse/index.html"));
}

/// QA s15: an author uncommenting the examples `lmp new` writes gets a page that checks; it
/// was not so for a video's `embed: https://example.org/` (not a YouTube or Vimeo address) and
/// a practice's `# region: one of …` (then `region` twice).
#[test]
fn every_example_in_a_scaffold_checks_once_uncommented() {
    // A video's examples are of the right kind where the site has no such file ...
    let basic = Project::fixture("basic");
    basic.ok(&["new", "video", "A new video"]);
    let video = basic.read("site/videos/a-new-video.md");
    assert!(
        video.contains("\n# src: /videos/clip.mp4\n")
            && video.contains("\n# captions: /captions/clip.en.vtt\n"),
        "{video}"
    );
    // ... and on a site that has them, each one checks.
    let p = Project::sample_site();
    for c in [
        "story", "guide", "practice", "tool", "video", "research", "region", "page",
    ] {
        let o = p.run(&["new", c, &format!("Every field {c}")]);
        assert_eq!(o.code, 0, "{c}: {}", o.stderr);
    }
    let mut embed = None;
    for dir in COLLECTIONS {
        let name = std::fs::read_dir(p.path(&format!("site/{dir}")))
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|n| n.starts_with("every-field-"))
            .unwrap();
        let rel = format!("site/{dir}/{name}");
        let text: Vec<String> = p
            .read(&rel)
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                // `src` or `embed`, not both: `embed` is looked at below.
                Some(f) if f.starts_with("embed:") => {
                    embed = Some(f.to_string());
                    l.to_string()
                }
                Some(f) if f.starts_with("draft:") => l.to_string(),
                Some(f)
                    if f.split_once(':').is_some_and(|(k, _)| {
                        !k.is_empty() && k.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                    }) =>
                {
                    f.to_string()
                }
                Some(f) if l.starts_with("#   ") => f.to_string(),
                _ => l.to_string(),
            })
            .collect();
        p.write(&rel, &(text.join("\n") + "\n"));
    }
    let o = p.run(&["check"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(
        embed.as_deref(),
        Some("embed: https://www.youtube.com/watch?v=…")
    );
}

/// QA Q12: `lmp new` wrote scaffolds that failed `lmp check` at once (`region: some-slug`), with
/// examples of the wrong kind (`# image: /files/example.pdf`). Now every collection's scaffold
/// checks, but a tool's `file:`, which only the author can give: `lmp new` says so.
#[test]
fn every_scaffold_checks_but_what_only_the_author_can_fill_in() {
    let p = Project::fixture("basic");
    for c in [
        "story", "guide", "practice", "video", "research", "region", "page",
    ] {
        let o = p.run(&["new", c, &format!("A new {c}")]);
        assert_eq!(o.code, 0, "{c}: {}", o.stderr);
    }
    p.ok(&["check"]);
    let practice = p.read("site/practices/a-new-practice.md");
    assert!(practice.contains("\nregion: colorado\n"), "{practice}");
    assert!(
        practice.contains("# region is one of: colorado, hawaii, washington"),
        "{practice}"
    );
    let story = p.read("site/stories/a-new-story.md");
    assert!(story.contains("# image_focus: 50% 30%"), "{story}");
    assert!(!story.contains("translation_of"), "{story}");
    assert!(!story.contains("example.pdf"), "{story}");
    // A tool needs its file: the scaffold takes one the site has (and checks) ...
    let o = p.run(&["new", "tool", "A new tool"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(!o.stderr.contains("note:"), "{}", o.stderr);
    let tool = p.read("site/tools/a-new-tool.md");
    assert!(
        tool.contains("\nfile: /files/huddle-checklist.txt\n"),
        "{tool}"
    );
    p.ok(&["check"]);
    // ... and where the site has none, `lmp new` says so, and `lmp check` points at it.
    p.remove("site/tools/a-new-tool.md")
        .remove("site/tools/huddle-checklist.md")
        .remove("site/static/files/huddle-checklist.txt");
    let o = p.run(&["new", "tool", "A new tool"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stderr
            .contains("note: fill in `file:` with a file under site/static/"),
        "{}",
        o.stderr
    );
    let o = p.fails(&["check"]);
    assert!(
        o.stderr.contains("site/tools/a-new-tool.md:"),
        "{}",
        o.stderr
    );
    let new_tool: Vec<&str> = o
        .errors()
        .into_iter()
        .filter(|e| e.contains("a-new-tool.md"))
        .collect();
    assert_eq!(new_tool.len(), 1, "{}", o.stderr);
}

/// The scaffold's placeholder texts ("One or two sentences…", "Write the text here…") would be
/// published as they are: `check` and `build` warn at each one that is left in a document that
/// is not a draft, and say nothing once they are replaced (or while it is a draft).
#[test]
fn placeholder_text_left_from_lmp_new_is_warned_about() {
    let p = Project::fixture("basic");
    let o = p.ok(&["new", "story", "Huddle day"]);
    assert!(
        o.stdout.trim().ends_with("stories/huddle-day.md"),
        "{}",
        o.stdout
    );
    let text = p.read("site/stories/huddle-day.md");
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let summary = line_of("One or two sentences");
    let body = line_of("Write the text here, in markdown.");
    for cmd in ["check", "build"] {
        let o = p.ok(&[cmd]);
        let e = &o.stderr;
        assert!(
            e.contains(&format!("stories/huddle-day.md:{summary}:11: warning: “One or two sentences that say what this is about.” is the placeholder `lmp new` wrote: readers would see it")),
            "{text}\n{e}"
        );
        assert!(
            e.contains(&format!("stories/huddle-day.md:{body}:1: warning: “Write the text here, in markdown.” is the placeholder")),
            "{e}"
        );
        assert!(
            e.contains("= help: replace it with this document's own words"),
            "{e}"
        );
    }
    // A draft is not published: nothing to say.
    p.write(
        "site/stories/huddle-day.md",
        &text.replace("# draft: true", "draft: true"),
    );
    let o = p.ok(&["check"]);
    assert!(!o.stderr.contains("placeholder"), "{}", o.stderr);
    // Replaced: nothing either.
    p.write(
        "site/stories/huddle-day.md",
        &text
            .replace(
                "One or two sentences that say what this is about.",
                "The huddle moved.",
            )
            .replace("Write the text here, in markdown.", "It moved to Tuesday."),
    );
    let o = p.ok(&["check"]);
    assert!(!o.stderr.contains("placeholder"), "{}", o.stderr);
}

/// QA s11: `lmp new Story "…"` (the collection written as a title writes it) said "unknown
/// collection `Story`"; any case of a collection's name is that collection.
#[test]
fn new_takes_a_collection_in_any_case() {
    let p = Project::fixture("basic");
    for (collection, folder) in [
        ("Story", "stories"),
        ("GUIDES", "guides"),
        ("Region", "regions"),
    ] {
        let o = p.ok(&["new", collection, &format!("A new {collection}")]);
        assert!(
            o.stdout.trim().starts_with(&format!("site/{folder}/")),
            "{collection}: {}",
            o.stdout
        );
    }
    let o = p.run(&["new", "Stroy", "A typo"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("did you mean `story`?"), "{}", o.stderr);
}

/// QA s14: `lmp new story … --lang es` was refused with the command line's "to pass '--lang' as
/// a value, use '-- --lang'". It starts the translation of an existing page: `x.es.md` next to
/// `x.md`, with its title, summary and text to translate and `draft: true` (nothing in
/// English is published as Spanish); the build passes with it, `--drafts` shows it under
/// `/es/`. A wrong name or language is said with what to write.
#[test]
fn new_with_lang_starts_a_translation_of_an_existing_page_as_a_draft() {
    let p = Project::bilingual();
    let o = p.ok(&["new", "story", "second-story", "--lang", "es"]);
    assert_eq!(o.stdout.trim(), "site/stories/second-story.es.md");
    assert!(
        o.stderr.contains("note: translate the title, the summary and the text into Español; then delete `draft: true` to publish it"),
        "{}",
        o.stderr
    );
    let text = p.read("site/stories/second-story.es.md");
    let original = p.read("site/stories/second-story.md");
    let title = original.lines().find(|l| l.starts_with("title:")).unwrap();
    let body = &original[original[4..].find("\n---\n").unwrap() + 9..];
    assert!(
        text.starts_with("---\n# Translation into Español of stories/second-story.md.\n"),
        "{text}"
    );
    assert!(text.contains(&format!("\n{title}\n")), "{text}");
    assert!(text.contains("\ndraft: true\n---\n"), "{text}");
    assert!(text.ends_with(body), "{text}");
    // Left a draft, it is not published; with --drafts it is, at its Spanish address.
    p.ok(&["build", "--quiet"]);
    assert!(!p.exists("public/es/stories/second-story/index.html"));
    p.ok(&["build", "--quiet", "--drafts"]);
    assert!(p.exists("public/es/stories/second-story/index.html"));
    // `.md`, the folder, capitals: the same file, which is never overwritten.
    let o = p.fails(&[
        "new",
        "story",
        "site/stories/second-story.md",
        "--lang",
        "ES",
    ]);
    assert!(
        o.stderr
            .contains("second-story.es.md already exists; lmp new never overwrites"),
        "{}",
        o.stderr
    );
    // A name cut short, a language the site does not have.
    let o = p.fails(&["new", "story", "second", "--lang", "es"]);
    assert!(
        o.stderr.contains("error: there is no story \"second\" to translate in site/stories")
            && o.stderr.contains("help: did you mean `second-story`? give the file name of the page to translate, without `.md`, e.g. `lmp new story draft-story --lang es`"),
        "{}",
        o.stderr
    );
    // Audit s16: the example was `lmp new … one-lesson-at-a-time --lang es` for every
    // collection, a guide's too, translated or not: now a document of the folder that has no
    // translation yet (first-story and second-story have one).
    let o = p.fails(&["new", "guide", "nothing-like-it", "--lang", "es"]);
    assert!(
        o.stderr.contains("e.g. `lmp new guide huddle --lang es`"),
        "{}",
        o.stderr
    );
    let o = p.fails(&["new", "story", "third-story", "--lang", "fr"]);
    assert!(
        o.stderr
            .contains("error: `fr` is not a language of this site")
            && o.stderr
                .contains("help: the site's other languages are `es` (Español)"),
        "{}",
        o.stderr
    );
    assert!(!p.exists("site/stories/third-story.fr.md"));
    // An empty `--lang ""` (a script's unset variable) said "`` is not a language".
    let o = p.fails(&["new", "story", "third-story", "--lang", ""]);
    assert!(
        o.stderr
            .contains("error: `--lang` needs a language code, and it was empty")
            && o.stderr
                .contains("help: the site's other languages are `es` (Español)"),
        "{}",
        o.stderr
    );
    assert!(!p.exists("site/stories/third-story..md"));
}

/// QA s14/s15: `lmp new … --lang` copied only one-line fields: a video's `transcript: |` (what
/// a reader who cannot hear the video reads) and a practice's `results:` list were left out.
/// Now every line of them is there in comments, and uncommented they make a valid translation
/// whose page shows them (and no longer the English ones).
#[test]
fn new_with_lang_gives_blocks_and_lists_to_translate_in_comments() {
    let p = Project::bilingual();
    p.ok(&["new", "video", "basics-video", "--lang", "es"]);
    let text = p.read("site/videos/basics-video.es.md");
    assert!(
        text.contains("\n# duration: \"3:45\"\n# transcript: |\n#   A unit-based team brings together **everyone** in a work unit.\n#\n#   They meet, measure and improve.\n# Not published"),
        "{text}"
    );
    p.ok(&["new", "practice", "huddle-board", "--lang", "es"]);
    let text = p.read("site/practices/huddle-board.es.md");
    assert!(
        text.contains("\n# department: Pharmacy\n# team: Outpatient pharmacy UBT\n# results:\n#   - {measure: Sign-in, before: Paper sheets, after: Shared board}\n# Not published"),
        "{text}"
    );
    // The translator's way: remove `# ` (or the lone `#`) at the start of the lines, translate.
    let uncomment = |t: &str| -> String {
        t.lines()
            .map(|l| {
                let fields = [
                    "# duration",
                    "# transcript",
                    "#   ",
                    "# results",
                    "# department",
                    "# team",
                ];
                if l == "#" {
                    String::new()
                } else if fields.iter().any(|f| l.starts_with(f)) {
                    l[2..].to_string()
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let video = uncomment(&p.read("site/videos/basics-video.es.md")).replace(
        "They meet, measure and improve.",
        "Se reúnen, miden y mejoran.",
    );
    p.write("site/videos/basics-video.es.md", &video);
    let practice = uncomment(&p.read("site/practices/huddle-board.es.md"))
        .replace("Paper sheets", "Hojas de papel");
    p.write("site/practices/huddle-board.es.md", &practice);
    p.ok(&["build", "--quiet", "--drafts"]);
    let page = p.read("public/es/videos/basics-video/index.html");
    assert!(page.contains("Se reúnen, miden y mejoran."), "{page}");
    let page = p.read("public/es/practices/huddle-board/index.html");
    assert!(page.contains("Hojas de papel"), "{page}");
}

/// QA s14: `lmp new story My first story` (no quotes) said "unexpected argument 'first' found";
/// now what to type, with the command line's exit code (2), and nothing written.
#[test]
fn a_title_typed_without_quotes_is_told_to_be_quoted() {
    let p = Project::fixture("basic");
    let o = p.run(&["new", "story", "My", "first", "story"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert_eq!(
        o.stderr,
        "error: the title \"My first story\" is several words without quotes\n  = help: put the title in quotes: `lmp new story \"My first story\"`\n"
    );
    assert!(!p.exists("site/stories/my.md") && !p.exists("site/stories/my-first-story.md"));
}

/// Hostile tester s17: `lmp new story first-story.es --lang es` (the Spanish file's name, as
/// tab completion gives it) wrote `first-story.es.es.md`, a translation of the translation.
#[test]
fn new_lang_refuses_the_name_of_a_translation() {
    let p = Project::bilingual();
    for name in [
        "first-story.es",
        "first-story.es.md",
        "stories/first-story.es.md",
    ] {
        let o = p.run(&["new", "story", name, "--lang", "es"]);
        assert_eq!(o.code, 1, "{name}: {}", o.stderr);
        assert!(
            o.stderr.contains(&format!("error: `{name}` names the `es` translation of first-story.md, not a page to translate")),
            "{name}: {}",
            o.stderr
        );
        assert!(
            o.stderr.contains("help: edit site/stories/first-story.es.md; to start the translation of another page, give its name: `lmp new story first-story --lang es`"),
            "{name}: {}",
            o.stderr
        );
        assert!(!p.exists("site/stories/first-story.es.es.md"), "{name}");
    }
}

/// An editor who types the page's title, as the site shows it (`lmp new story "Peer advice: one
/// lesson at a time" --lang es`), was told there is no such story, while the help says to give
/// "its title": the title of one original of the folder finds it, in any case, quotes or not.
#[test]
fn new_lang_finds_the_original_by_its_title() {
    let p = Project::bilingual();
    let o = p.ok(&["new", "story", "the SECOND story", "--lang", "es"]);
    assert!(
        o.stdout.contains("site/stories/second-story.es.md"),
        "{}",
        o.stdout
    );
    assert!(p.exists("site/stories/second-story.es.md"));
    // A title of no page: still an error, nothing written.
    let o = p.run(&["new", "story", "The fourth story", "--lang", "es"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains("error: there is no story"),
        "{}",
        o.stderr
    );
}

/// `check --translations` lists the home page as not translated, but `lmp new` could not start
/// its translation ("unknown collection `home`"; `lmp new page index` found no page): `lmp new
/// home index --lang es` writes site/index.es.md as it does any translation, and the list says
/// so.
#[test]
fn new_lang_starts_the_translation_of_the_home_page() {
    let p = Project::bilingual();
    let o = p.run(&["check", "--translations"]);
    assert!(
        o.stderr.contains("help: translate it in index.es.md, next to this file: `lmp new home index --lang es` starts it"),
        "{}",
        o.stderr
    );
    let o = p.ok(&["new", "home", "index", "--lang", "es"]);
    assert!(o.stdout.contains("site/index.es.md"), "{}", o.stdout);
    let t = p.read("site/index.es.md");
    assert!(t.contains("# Translation into Español of index.md."), "{t}");
    assert!(
        t.contains("title: Welcome to the fixture partnership"),
        "{t}"
    );
    assert!(t.contains("draft: true"), "{t}");
    assert!(t.contains("The partnership has **many** teams."), "{t}");
    let o = p.ok(&["check", "--translations"]);
    assert!(
        o.stderr.contains("; the home page in draft"),
        "{}",
        o.stderr
    );
    // Never over the existing one.
    let o = p.run(&["new", "home", "index", "--lang", "es"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("already exists"), "{}", o.stderr);
    // Audit s18: `lmp new home x` said "unknown collection `home`" and listed the collections;
    // it now says where the one home page is and how to start its translation.
    let o = p.run(&["new", "home", "welcome"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains(
            "error: a site has one home page, site/index.md: `lmp new` does not make another"
        ) && o.stderr.contains(
            "help: edit that file; to start its translation, `lmp new home index --lang es`"
        ),
        "{}",
        o.stderr
    );
}
