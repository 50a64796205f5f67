//! Hostile author, second pass (session 22): what an editor, or a paste from Word, Outlook or a
//! CMS, puts into site/ that lmp published without a word, pointed at the wrong column, or told
//! in words that did not fit. Each test fails without its fix.

use crate::harness::{Project, block, no_panic};

const STORY_HEAD: &str =
    "---\ntitle: A story\ndate: 2020-01-01\nsummary: A summary.\ntopics: [ubt-basics]\n---\n";

/// Links an e-mail, Outlook or Word paste makes that were published as text without a word, or
/// told the wrong fix: `(mailto:Pat <pat@example.org>)` (the autolink split the text, so the
/// check never saw the whole link), a title in curly quotes ("rename the file"), an address
/// broken over two lines, a `(` never closed, a bare e-mail address ("put the file in the
/// static folder"; an `<pat@…>` autolink in the same file took its error too), and Outlook's
/// Safe Links.
#[test]
fn links_from_an_email_or_word_paste_are_each_told_what_to_write() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/pasted.md",
        &format!(
            "{STORY_HEAD}Write [us](mailto:Pat Example <pat@example.org>) today.\n\nSee [the guide](../guides/huddle.md “How to”).\n\nRead [the report](https://kp.org/very/long/\nreport.pdf) now.\n\nA [union](https://en.wikipedia.org/wiki/Union_(labor) here.\n\nOpen [the form](https://nam02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.kp.org%2Fform&data=05) now.\n\nMail [Pat](pat@example.org) or <pat@example.org>.\n"
        ),
    );
    let o = p.fails(&["build"]);
    no_panic(&o);
    let b = block(&o, "site/stories/pasted.md:7:7: warning:");
    assert!(
        b.contains("this link is shown as text") && b.contains("`mailto:pat@example.org`"),
        "{b}"
    );
    let b = block(&o, "site/stories/pasted.md:9:5: warning:");
    assert!(
        b.contains("the link's title is in curly quotes")
            && b.contains("`[the guide](../guides/huddle.md \"How to\")`"),
        "{b}"
    );
    assert!(!o.stderr.contains("rename the file"), "{}", o.stderr);
    let b = block(&o, "site/stories/pasted.md:11:6: warning:");
    assert!(
        b.contains("its address is broken over two lines")
            && b.contains("`https://kp.org/very/long/report.pdf`"),
        "{b}"
    );
    let b = block(&o, "site/stories/pasted.md:14:3: warning:");
    assert!(
        b.contains("a `(` in it is never closed")
            && b.contains("`[union](https://en.wikipedia.org/wiki/Union_(labor))`"),
        "{b}"
    );
    let b = block(&o, "site/stories/pasted.md:16:6: warning:");
    assert!(
        b.contains("Outlook's Safe Links") && b.contains("`https://www.kp.org/form`"),
        "{b}"
    );
    let b = block(&o, "site/stories/pasted.md:18:6: error:");
    assert!(b.contains("write `mailto:pat@example.org`"), "{b}");
    assert!(!o.stderr.contains("static folder"), "{}", o.stderr);
    // The autolink `<pat@example.org>` is a mail link: no error of its own.
    assert!(!o.stderr.contains("pasted.md:18:32"), "{}", o.stderr);
    assert_eq!(o.errors().len(), 1, "{}", o.stderr);
}

/// Escapes in a double-quoted value (`\"`, `\\`, `\u00e9`, `\t`) and `''` in a single-quoted
/// one were not counted: what follows them was reported columns early. A control character
/// written as an escape is named at its escape.
#[test]
fn columns_after_yaml_escapes_are_the_characters_own() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/escapes.md",
        "---\ntitle: Escapes\ndate: 2020-01-01\nsummary: \"Say \\\"hi\\\" \\\\ to caf\\u00e9\\tand [the guide](../guides/hudle.md) and [more](gone.md).\"\nimage: /files/huddle-checklist.txt\nimage_alt: x\nimage_caption: 'It''s [here](nowhere.md)'\ntopics: [ubt-basics]\n---\nText.\n",
    );
    p.write(
        "site/stories/control.md",
        "---\ntitle: Control\ndate: 2020-01-01\nsummary: S.\nauthor: \"Pat \\u00e9\\u000b Lee\"\ntopics: [ubt-basics]\n---\nText.\n",
    );
    let o = p.fails(&["check"]);
    no_panic(&o);
    // `summary: "Say \"hi\" \\ to caf\u00e9\tand [`: the `[` is the 43rd character.
    let b = block(&o, "site/stories/escapes.md:4:43: error: broken link");
    assert!(b.contains("../guides/hudle.md"), "{b}");
    assert!(
        o.stderr
            .contains("site/stories/escapes.md:4:79: error: broken link"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("site/stories/escapes.md:7:23: error: broken link"),
        "{}",
        o.stderr
    );
    // `author: "Pat \u00e9\u000b`: the `\u000b` starts at column 20.
    let b = block(&o, "site/stories/control.md:5:20: error:");
    assert!(b.contains("invisible control character (U+000B)"), "{b}");
}

/// `summary: <img src=…>` (a picture pasted from a web page) or an HTML comment alone is an
/// HTML block with no text: the summary was empty on the page, the cards, the feed and search,
/// without a word. An error for the summary (it is required), a warning for a caption.
#[test]
fn a_summary_that_is_only_a_picture_or_a_comment_is_an_error() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/picture.md",
        "---\ntitle: Picture\ndate: 2020-01-01\nsummary: <img src=\"/files/team.jpg\" alt=\"The team\">\ntopics: [ubt-basics]\n---\nText.\n",
    );
    let o = p.fails(&["check"]);
    no_panic(&o);
    let b = block(&o, "site/stories/picture.md:4:10: error:");
    assert!(
        b.contains("`summary` is only a picture in HTML (`<img …>`): it shows no text")
            && b.contains("give it as `image:`"),
        "{b}"
    );
    p.write(
        "site/stories/picture.md",
        "---\ntitle: Picture\ndate: 2020-01-01\nsummary: \"<!-- from the CMS -->\"\ntopics: [ubt-basics]\n---\nText.\n",
    );
    let o = p.fails(&["check"]);
    let b = block(&o, "site/stories/picture.md:4:11: error:");
    assert!(b.contains("`summary` is only an HTML comment"), "{b}");
    // A summary with text beside the picture is left alone.
    p.write(
        "site/stories/picture.md",
        "---\ntitle: Picture\ndate: 2020-01-01\nsummary: Teams <span>huddle</span> daily.\ntopics: [ubt-basics]\n---\nText.\n",
    );
    let o = p.ok(&["check"]);
    assert!(!o.stderr.contains("picture.md"), "{}", o.stderr);
}

/// A YAML merge key (`<<: *defaults`) was "unknown field `<<`" with the list of every field
/// (or, in config.yaml, of a language's). lmp does not read merge keys: the error says so in
/// plain words and names the fields to write out.
#[test]
fn a_yaml_merge_key_is_named_with_the_fields_to_write_out() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/merged.md",
        "---\ndefaults: &defaults\n  date: 2020-01-01\n  topics: [ubt-basics]\ntitle: Merged\n<<: *defaults\nsummary: S.\n---\nText.\n",
    );
    let o = p.fails(&["check"]);
    no_panic(&o);
    let b = block(&o, "site/stories/merged.md:6:1: error:");
    assert!(
        b.contains("`<<` is a YAML merge key (`<<: *defaults`)")
            && b.contains("lmp does not read merge keys")
            && b.contains("(`date: 2020-01-01`, `topics: [ubt-basics]`)"),
        "{b}"
    );
    assert!(!o.stderr.contains("unknown field `<<`"), "{}", o.stderr);
    p.remove("site/stories/merged.md");

    p.append(
        "site/config.yaml",
        "languages:\n  en: &english\n    name: English\n    description: A small site.\n  es:\n    <<: *english\n    name: Español\n",
    );
    let o = p.fails(&["check"]);
    let b = block(&o, "site/config.yaml:23:5: error:");
    assert!(
        b.contains("`<<` is a YAML merge key")
            && b.contains("(`name: English`, `description: A small site.`)"),
        "{b}"
    );
    assert!(!o.stderr.contains("unknown field"), "{}", o.stderr);
}

/// `lmp new story first-story --lang EN` (the default language) said "first-story.md already
/// exists; pick another title"; now it says the file is the default language's document and how to
/// start a translation. A new title with `--lang en` makes the page, as without it. `--lang fr`
/// (not declared) and `--lang es-MX` list the site's languages with their names.
#[test]
fn lmp_new_with_the_default_language_or_an_undeclared_one_says_which_languages_there_are() {
    let p = Project::bilingual();
    for lang in ["EN", "en", " en"] {
        let o = p.fails(&["new", "story", "first-story", "--lang", lang]);
        no_panic(&o);
        assert!(
            o.stderr.contains(
                "`en` is the site's default language (English): site/stories/first-story.md is its document already"
            ) && o
                .stderr
                .contains("`lmp new story first-story --lang es`")
                && o.stderr.contains("the site's other languages are `es` (Español)"),
            "{lang}: {}",
            o.stderr
        );
        assert!(!o.stderr.contains("already exists"), "{}", o.stderr);
    }
    let o = p.ok(&["new", "story", "Brand new", "--lang", "en"]);
    assert!(o.stdout.contains("brand-new.md"), "{}", o.stdout);
    assert!(p.exists("site/stories/brand-new.md"));
    let o = p.fails(&["new", "story", "first-story", "--lang", "es-MX"]);
    assert!(
        o.stderr.contains("`es-mx` is not a language of this site")
            && o.stderr.contains("did you mean `--lang es`?")
            && o.stderr
                .contains("list it under `languages:` in config.yaml"),
        "{}",
        o.stderr
    );
    // ` es` (a space pasted with it) is `es`.
    let o = p.ok(&["new", "story", "second-story", "--lang", " es"]);
    assert!(o.stdout.contains("second-story.es.md"), "{}", o.stdout);
}

/// `lmp check` with `cache_dir:` inside the site wrote its cache there (`--external`'s
/// links.json; images): refused before anything is written, as `build` and `serve` refuse it.
#[test]
fn lmp_check_refuses_a_cache_inside_the_site() {
    let p = Project::fixture("basic");
    p.append("site/config.yaml", "cache_dir: cache\n");
    for args in [&["check"][..], &["check", "--external"], &["build"]] {
        let mut c = p.command(args);
        c.env_remove("LMP_CACHE_DIR");
        let o = crate::harness::Output::of(c.output().unwrap());
        no_panic(&o);
        assert_eq!(o.code, 1, "{args:?}: {}", o.stderr);
        assert!(
            o.stderr.contains("refusing to keep the image cache in")
                && o.stderr.contains("it is inside the site folder"),
            "{args:?}: {}",
            o.stderr
        );
        assert!(!p.exists("site/cache"), "{args:?}");
        // Hostile author s23: refused where the build resolves its cache, at the line that
        // sets it (it was a refusal with no place, after config.yaml was read a second time).
        assert!(
            o.stderr
                .contains("site/config.yaml:18:12: error: refusing to keep the image cache"),
            "{args:?}: {}",
            o.stderr
        );
    }
}

/// `text: …` in a `{quote}` (whose text is its body) was told only the argument names; a
/// base_url copied with its page (`…/lmp/index.html`) put every page under `/lmp/index.html/`.
#[test]
fn a_components_text_as_an_argument_and_a_base_url_with_a_file_name_are_told_the_fix() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/quote.md",
        &format!("{STORY_HEAD}```{{quote}}\nby: Pat\ntext: We huddle daily.\n```\n"),
    );
    let o = p.fails(&["check"]);
    no_panic(&o);
    let b = block(
        &o,
        "site/stories/quote.md:9:1: error: unknown argument `text`",
    );
    assert!(
        b.contains("the text of `quote` is not an argument: write it after the argument lines and a blank line, without `text:`"),
        "{b}"
    );
    p.remove("site/stories/quote.md");
    let config = p.read("site/config.yaml");
    p.write(
        "site/config.yaml",
        &config.replace(
            "base_url: https://example.org/",
            "base_url: https://example.org/lmp/index.html",
        ),
    );
    let o = p.fails(&["check"]);
    let b = block(&o, "site/config.yaml:2:11: error:");
    assert!(
        b.contains("ends with a page's file name (`index.html`)")
            && b.contains("`https://example.org/lmp/`"),
        "{b}"
    );
}
