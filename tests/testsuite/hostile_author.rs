//! Hostile author (sessions 21 and 23): what an editor, or a paste from Word, an e-mail or a
//! CMS export, puts into site/ that lmp published without a word or told in words that did not
//! fit. Each test fails without its fix.

use crate::harness::{Project, block, no_panic};

const STORY_HEAD: &str =
    "---\ntitle: A story\ndate: 2020-01-01\nsummary: A summary.\ntopics: [ubt-basics]\n---\n";

/// A key written twice in a menu item, in braces or as lines, was "invalid YAML: menu[0]:
/// duplicate entry with key \"name\"" with a help about indentation; `languages: {en: {…},
/// es: {…}, es: {…}}` was "the value of `en` contains `: `" with a help to quote `{name:
/// English`. Each is now named at the second key, in plain words.
#[test]
fn a_key_written_twice_in_config_braces_or_list_items_is_named_where_it_is() {
    let p = Project::fixture("basic");
    let config = p.read("site/config.yaml");
    let braces = config.replace(
        "  - {name: Regions, url: /regions/}",
        "  - {name: Regions, url: /regions/, name: Areas}",
    );
    assert_ne!(braces, config);
    p.write("site/config.yaml", &braces);
    let o = p.fails(&["check"]);
    no_panic(&o);
    let b = block(&o, "site/config.yaml:8:37: error:");
    assert!(
        b.contains("`name` is written twice in the same `{…}`")
            && b.contains("delete the other, with its comma"),
        "{b}"
    );
    assert!(!o.stderr.contains("duplicate entry"), "{}", o.stderr);

    let lines = config.replace(
        "  - {name: Stories, url: /stories/}\n  - {name: Regions, url: /regions/}\n",
        "  - name: Stories\n    url: /stories/\n  - name: Regions\n    url: /regions/\n    name: Areas\n",
    );
    assert_ne!(lines, config);
    p.write("site/config.yaml", &lines);
    let o = p.fails(&["check"]);
    let b = block(&o, "site/config.yaml:11:5: error:");
    assert!(b.contains("`name` is written twice"), "{b}");
    assert!(!b.contains("indentation"), "{b}");

    let langs = config.replace(
        "language: en\n",
        "language: en\nlanguages: {en: {name: English}, es: {name: Español}, es: {name: Spanish}}\n",
    );
    p.write("site/config.yaml", &langs);
    let o = p.fails(&["check"]);
    let b = block(&o, "site/config.yaml:5:");
    assert!(b.contains("`es` is written twice in the same `{…}`"), "{b}");
    assert!(!b.contains("contains `: `"), "{b}");
}

/// `[Call us](tel:+1 (555) 123-4567)` was published as text without a word (the brackets
/// were read as a link title); `tel:1 800 464 4000` and `https://kp.org/our plan.pdf` were told
/// to "rename the file without spaces". Each gets the address written so that it is a link.
#[test]
fn a_phone_number_or_web_address_with_spaces_is_told_how_to_write_it() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/call.md",
        &format!(
            "{STORY_HEAD}Call [our line](tel:+1 (555) 123-4567) today.\n\nOr [the desk](tel:1 800 464 4000).\n\nRead [the plan](https://kp.org/our plan.pdf).\n\nSee [the guide](../guides/huddle.md \"How to\").\n"
        ),
    );
    let o = p.ok(&["build"]);
    no_panic(&o);
    let b = block(&o, "site/stories/call.md:7:6: warning:");
    assert!(
        b.contains("its address `tel:+1 (555) 123-4567` has a space")
            && b.contains("`tel:+1-555-123-4567`"),
        "{b}"
    );
    let b = block(&o, "site/stories/call.md:9:4: warning:");
    assert!(b.contains("`tel:1-800-464-4000`"), "{b}");
    let b = block(&o, "site/stories/call.md:11:6: warning:");
    assert!(b.contains("`https://kp.org/our%20plan.pdf`"), "{b}");
    assert!(!o.stderr.contains("rename the file"), "{}", o.stderr);
    assert!(!o.stderr.contains("call.md:13:"), "{}", o.stderr);
    assert!(
        p.read("public/stories/call/index.html")
            .contains("<a href=\"/guides/huddle/\" title=\"How to\">the guide</a>")
    );
}

/// `<a href="first-story.md">` in raw HTML is not made an address (only markdown links are):
/// the error told to put `first-story.md` in the static folder. It now says to write the link
/// in markdown or the page's address, and gives that address when it knows it.
#[test]
fn a_raw_html_link_to_a_md_file_says_to_write_it_in_markdown_or_give_the_address() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/raw.md",
        &format!(
            "{STORY_HEAD}See <a href=\"first-story.md\">the first</a>, <a href=\"../guides/huddle.md#step-2\">step 2</a> and <a href=\"gone.md\">this</a>.\n"
        ),
    );
    let o = p.fails(&["build"]);
    no_panic(&o);
    let first = block(&o, "site/stories/raw.md:7:14: error:");
    assert!(
        first.contains(
            "write the link in markdown, or write the page's address, `/stories/first-story/`"
        ),
        "{first}"
    );
    let guide = block(&o, "site/stories/raw.md:7:54: error:");
    assert!(guide.contains("`/guides/huddle/#step-2`"), "{guide}");
    let gone = block(&o, "site/stories/raw.md:7:106: error:");
    assert!(
        gone.contains("`[text](gone.md)`") && gone.contains("write the link in markdown"),
        "{gone}"
    );
    assert!(!o.stderr.contains("static folder"), "{}", o.stderr);
}

/// `dr.who.md` is read as a translation into `who`; the help said "rename the file to dr.md",
/// which loses a word of the name. It now names `dr-who.md`.
#[test]
fn a_file_name_with_a_dot_is_told_the_name_that_keeps_its_words() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/dr.who.md",
        STORY_HEAD.replace("A story", "Dr. Who").as_str(),
    );
    let o = p.fails(&["check"]);
    no_panic(&o);
    let b = block(&o, "site/stories/dr.who.md:1:1: error:");
    assert!(
        b.contains("if it is not a translation, rename the file to dr-who.md"),
        "{b}"
    );
    assert!(!b.contains("dr.md"), "{b}");
}

/// A summary exported from a CMS as `<p>…</p>` (or `<div><p>…</p></div>`) is an HTML block to
/// markdown, with no inline text: it was left out of the page, the cards, the description and
/// search without a word, though `summary` is required. Its block tags are left out, with a
/// warning at the field, and its links are still checked at their column.
#[test]
fn a_summary_wrapped_in_paragraph_html_is_shown_with_a_warning() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/cms.md",
        "---\ntitle: From the CMS\ndate: 2020-01-01\ntopics: [ubt-basics]\nsummary: \"<p>Teams <em>huddle</em> daily; see [the guide](../guides/hudle.md).</p>\"\n---\nText.\n",
    );
    let o = p.fails(&["build"]);
    no_panic(&o);
    let b = block(&o, "site/stories/cms.md:5:11: warning:");
    assert!(b.contains("`summary` is wrapped in `<p>`"), "{b}");
    // The link's column in the file, past `"<p>Teams <em>huddle</em> daily; see `.
    let link = block(&o, "site/stories/cms.md:5:47: error: broken link");
    assert!(link.contains("../guides/huddle.md"), "{link}");

    p.write(
        "site/stories/cms.md",
        "---\ntitle: From the CMS\ndate: 2020-01-01\ntopics: [ubt-basics]\nsummary: \"<div><p>Teams <em>huddle</em> daily.</p></div>\"\n---\nText.\n",
    );
    let o = p.ok(&["build"]);
    assert!(
        o.stderr.contains("`summary` is wrapped in `<div>`"),
        "{}",
        o.stderr
    );
    let page = p.read("public/stories/cms/index.html");
    assert!(
        page.contains("<meta name=\"description\" content=\"Teams huddle daily.\">"),
        "{page}"
    );
    assert!(page.contains("Teams <em>huddle</em> daily."), "{page}");
    assert!(
        !page.contains("&lt;p&gt;") && !page.contains("<div><p>Teams"),
        "{page}"
    );
    let list = p.read("public/stories/index.html");
    assert!(list.contains("Teams huddle daily."), "{list}");
}

/// Word's optional hyphens (U+00AD) and zero-width spaces (U+200B) pasted inside words made
/// them other words in the search index: `teamwork` did not find "Team\u{ad}work", and
/// `collaboration` found only "coll\u{ad}abor". They are left out of the index and of text
/// fields (where they are invisible anyway); the body's HTML keeps its soft hyphens.
#[test]
fn invisible_characters_pasted_inside_words_do_not_hide_them_from_search() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/pasted.md",
        "---\ntitle: \"Team\\u00ADwork and zebra\\u200Bfish\"\ndate: 2020-01-01\nsummary: Sea\u{2060}horses.\ntopics: [ubt-basics]\n---\nWe value quokka\u{ad}collab\u{200b}oration.\n",
    );
    p.ok(&["build", "--quiet"]);
    for q in ["teamwork", "zebrafish", "seahorses", "quokkacollaboration"] {
        assert_eq!(
            p.search(q, &[]),
            ["/stories/pasted/"],
            "{q}: {}",
            p.run(&["search", q]).stdout
        );
    }
    let page = p.read("public/stories/pasted/index.html");
    assert!(page.contains("<h1>Teamwork and zebrafish</h1>"), "{page}");
    assert!(page.contains("quokka\u{ad}collab\u{200b}oration"), "{page}");
}

/// `date: 0202-05-01` (typed for 2022) or `0001-01-01` (a CMS export's empty date) was
/// published as "May 1, 202", last in every list, without a word: a warning at the date, as a
/// date in the future has. A date from 1900 on says nothing.
#[test]
fn a_date_before_1900_is_a_warning_at_the_date() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/old.md",
        &format!("{}Text.\n", STORY_HEAD.replace("2020-01-01", "0202-05-01")),
    );
    p.write(
        "site/stories/history.md",
        &format!(
            "{}Text.\n",
            STORY_HEAD
                .replace("2020-01-01", "1935-07-05")
                .replace("A story", "The Wagner Act")
        ),
    );
    let o = p.ok(&["build"]);
    no_panic(&o);
    let b = block(&o, "site/stories/old.md:3:7: warning:");
    assert!(
        b.contains("`date: 0202-05-01` is before 1900: the page is dated May 1, 202")
            && b.contains("if the year is a typo, correct it"),
        "{b}"
    );
    assert!(!o.stderr.contains("history.md"), "{}", o.stderr);
}

/// `slug: report.pdf` and `slug: feed.xml` were told they "name a translation's file" and to
/// write them "without the language code" (`pdf`, `xml`): a last part that is no language's
/// code gets the slug's own message; `slug: huddle.es` still gets the translation's.
#[test]
fn a_slug_with_a_file_extension_is_not_taken_for_a_translations_name() {
    let p = Project::fixture("basic");
    for (name, slug) in [("a", "report.pdf"), ("b", "feed.xml"), ("c", "huddle.es")] {
        p.write(
            &format!("site/pages/{name}.md"),
            &format!("---\ntitle: Page {name}\nslug: {slug}\n---\nText.\n"),
        );
    }
    let o = p.fails(&["check"]);
    no_panic(&o);
    let a = block(&o, "site/pages/a.md:3:7: error:");
    assert!(
        a.contains("`report.pdf` is not a slug") && a.contains("`report-pdf`"),
        "{a}"
    );
    let b = block(&o, "site/pages/b.md:3:7: error:");
    assert!(b.contains("`feed.xml` is not a slug"), "{b}");
    let c = block(&o, "site/pages/c.md:3:7: error:");
    assert!(c.contains("`huddle.es` names a translation's file"), "{c}");
    assert_eq!(o.stderr.matches("language code").count(), 1, "{}", o.stderr);
}

/// `base_url: ""` said "base_url `` must start with https:// or http://".
#[test]
fn an_empty_base_url_is_said_to_be_empty() {
    let p = Project::fixture("basic");
    let config = p.read("site/config.yaml");
    p.write(
        "site/config.yaml",
        &config.replace("base_url: https://example.org/", "base_url: \"\""),
    );
    let o = p.fails(&["check"]);
    no_panic(&o);
    let b = block(&o, "site/config.yaml:2:11: error:");
    assert!(
        b.contains("base_url is empty: it is the address the site is published at")
            && b.contains("help: write the full address"),
        "{b}"
    );
    assert!(!o.stderr.contains("``"), "{}", o.stderr);
}

/// A YAML merge key (`<<: *defaults`) was "invalid YAML in front matter: …", but the YAML is
/// valid: lmp just does not read merge keys. The error says so, at the `<<`, and gives the fields
/// to write out with their values; the same in config.yaml.
#[test]
fn a_merge_key_is_valid_yaml_that_lmp_does_not_read() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/merged.md",
        "---\ndefaults: &defaults\n  date: 2020-01-01\n  topics: [ubt-basics, \"A: b\"]\ntitle: Merged\n<<: *defaults\nsummary: S.\n---\nText.\n",
    );
    let o = p.fails(&["check"]);
    no_panic(&o);
    let b = block(&o, "site/stories/merged.md:6:1: error:");
    assert!(
        b.contains("the YAML is valid, but lmp does not read merge keys")
            && b.contains(
                "each on its own line (`date: 2020-01-01`, `topics: [ubt-basics, \"A: b\"]`)"
            ),
        "{b}"
    );
    assert!(!o.stderr.contains("invalid YAML"), "{}", o.stderr);
    p.remove("site/stories/merged.md");
    p.append(
        "site/config.yaml",
        "languages:\n  en: &english\n    name: English\n  es:\n    <<: *english\n    name: Español\n",
    );
    let o = p.fails(&["check"]);
    let b = block(&o, "site/config.yaml:22:5: error:");
    assert!(
        b.contains("the YAML is valid, but lmp does not read merge keys")
            && b.contains("`name: English`"),
        "{b}"
    );
    assert!(!o.stderr.contains("invalid YAML"), "{}", o.stderr);
}

/// Errors in numbered files came in byte order (`s0`, `s1`, `s10`, `s100`, `s2`): they come in
/// natural order now, numbers by value, in `check` and `build`, and in every format.
#[test]
fn errors_in_numbered_files_are_listed_in_natural_order() {
    let p = Project::fixture("basic");
    for n in [100, 2, 10, 1, 0, 20] {
        p.write(
            &format!("site/stories/s{n}.md"),
            "---\ntitle: A story\ndate: 2020-13-01\nsummary: A summary.\ntopics: [ubt-basics]\n---\nText.\n",
        );
    }
    let order = ["s0.md", "s1.md", "s2.md", "s10.md", "s20.md", "s100.md"];
    for args in [
        &["check"][..],
        &["build"][..],
        &["check", "--format", "json"][..],
    ] {
        let o = p.fails(args);
        no_panic(&o);
        let all = format!("{}{}", o.stdout, o.stderr);
        let at: Vec<usize> = order
            .iter()
            .map(|f| {
                all.find(&format!("site/stories/{f}"))
                    .unwrap_or_else(|| panic!("{f}: {all}"))
            })
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{args:?}: {all}");
    }
}

/// A link in a component's plain-text argument (a figure's `alt`, a download's `label`) was
/// published as written, brackets or tags and all, without a word: an editor expects it to
/// work. It is a warning at the link, with the argument written without it and where a link
/// goes instead; a link in a `caption` (which shows links) is not.
#[test]
fn a_link_in_a_components_plain_text_argument_is_a_warning() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/comp.md",
        &format!(
            "{STORY_HEAD}Text.\n\n```{{download}}\nfile: /files/huddle-checklist.txt\nlabel: \"Get the [checklist](../guides/huddle.md) now\"\n```\n\n- A list\n\n  ```{{figure}}\n  src: /files/huddle-checklist.txt\n  alt: A <a href=\"x.md\">team</a> at work\n  caption: A [good](../guides/huddle.md) one\n  ```\n"
        ),
    );
    let o = p.run(&["check"]);
    no_panic(&o);
    let b = block(&o, "site/stories/comp.md:11:17: warning:");
    assert!(
        b.contains("`label` of `download` is plain text: the link here is not a link")
            && b.contains("write the words only (`label: Get the checklist now`)"),
        "{b}"
    );
    let b = block(&o, "site/stories/comp.md:18:10: warning:");
    assert!(
        b.contains("`alt` of `figure` is plain text")
            && b.contains("`alt: A team at work`")
            && b.contains("a link goes in `caption` or `credit`, which show links"),
        "{b}"
    );
    assert!(
        !o.stderr.contains("`caption` of `figure` is plain text"),
        "{}",
        o.stderr
    );
}

/// A file over 10 MB whose front matter is longer than 64 KiB was read for its address with no
/// fields at all: a link to one of its aliases was "broken" beside the file's own error. Its
/// front matter is read to its end: the one error is the file's size.
#[test]
fn a_file_over_the_limit_with_long_front_matter_keeps_its_aliases() {
    let p = Project::fixture("basic");
    let mut text = format!(
        "---\ntitle: Big\ndate: 2020-01-01\nsummary: \"{}\"\ntopics: [ubt-basics]\naliases: [/old-big/]\n---\n",
        "A long summary pasted twice. ".repeat(4000)
    );
    while text.len() <= 10_000_000 {
        text.push_str("A line of a pasted log, long enough to fill the file quickly.\n");
    }
    p.write("site/stories/big.md", &text);
    p.write(
        "site/stories/linker.md",
        &format!("{STORY_HEAD}See [the big one](/old-big/).\n"),
    );
    let o = p.fails(&["check"]);
    no_panic(&o);
    assert!(
        o.stderr
            .contains("site/stories/big.md: error: the file is 11 MB"),
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains("old-big"), "{}", o.stderr);
    assert_eq!(o.errors().len(), 1, "{}", o.stderr);
}

/// A JPEG `w`×`h`, the top half red and the bottom half blue, with an EXIF orientation (as a
/// phone writes it: 6 is turned 90° clockwise to view, 8 counter-clockwise, 3 upside down).
fn jpeg_oriented(w: u32, h: u32, orientation: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |_, y| {
        image::Rgb(if y < h / 2 {
            [220, 20, 20]
        } else {
            [20, 20, 220]
        })
    });
    let mut plain = Vec::new();
    img.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
        &mut plain, 90,
    ))
    .unwrap();
    let mut tiff: Vec<u8> = b"II*\0\x08\0\0\0".to_vec();
    tiff.extend(1u16.to_le_bytes());
    tiff.extend([0x12, 0x01, 3, 0, 1, 0, 0, 0, orientation, 0, 0, 0]);
    tiff.extend(0u32.to_le_bytes());
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(&tiff);
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend(((app1.len() + 2) as u16).to_be_bytes());
    out.extend(&app1);
    out.extend(&plain[2..]);
    out
}

/// An image as PNG, in whatever pixel format it has (16 bits, grey and alpha).
fn png_of(img: image::DynamicImage) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_with_encoder(image::codecs::png::PngEncoder::new(&mut out))
        .unwrap();
    out
}

/// The pictures an editor is sent, each published right and the same bytes on every build: a
/// 16-bit PNG (with and without alpha), grey-and-alpha PNGs (8 and 16 bits), a CMYK JPEG with
/// no profile (inverted inks, as Adobe writes them), phone photos turned sideways either way
/// and upside down (upright in every output), an animated GIF (its first frame, with a
/// warning), a WebP. Each output's pixels are checked, in the fallback and in the WebP.
#[test]
fn every_kind_of_picture_an_editor_is_sent_comes_out_right_and_the_same_twice() {
    use image::{DynamicImage as D, ImageBuffer, LumaA, Rgb, Rgba};
    let p = Project::fixture("basic");
    let (w, h) = (120u32, 80u32);
    let halves16 = |x: u32| {
        if x < w / 2 {
            [60000u16, 5000, 5000]
        } else {
            [5000, 5000, 60000]
        }
    };
    let files: Vec<(&str, Vec<u8>)> = vec![
        (
            "rgb16.png",
            png_of(D::ImageRgb16(ImageBuffer::from_fn(w, h, |x, _| {
                Rgb(halves16(x))
            }))),
        ),
        (
            "rgba16.png",
            png_of(D::ImageRgba16(ImageBuffer::from_fn(w, h, |x, y| {
                let [r, g, b] = halves16(x);
                Rgba([r, g, b, if y < h / 2 { 65535 } else { 0 }])
            }))),
        ),
        (
            "grey-alpha.png",
            png_of(D::ImageLumaA8(ImageBuffer::from_fn(w, h, |x, y| {
                LumaA([
                    if x < w / 2 { 40 } else { 220 },
                    if y < h / 2 { 255 } else { 0 },
                ])
            }))),
        ),
        (
            "grey-alpha16.png",
            png_of(D::ImageLumaA16(ImageBuffer::from_fn(w, h, |x, y| {
                LumaA([
                    if x < w / 2 { 10000 } else { 56000 },
                    if y < h / 2 { 65535 } else { 0 },
                ])
            }))),
        ),
        ("cmyk-no-profile.jpg", {
            // Cyan ink on the left, magenta on the right.
            let px: Vec<u8> = (0..h)
                .flat_map(|_| {
                    (0..w).flat_map(|x| {
                        if x < w / 2 {
                            [255, 0, 0, 0]
                        } else {
                            [0, 255, 0, 0]
                        }
                    })
                })
                .collect();
            let mut out = Vec::new();
            jpeg_encoder::Encoder::new(&mut out, 95)
                .encode(&px, w as u16, h as u16, jpeg_encoder::ColorType::Cmyk)
                .unwrap();
            out
        }),
        ("phone-6.jpg", jpeg_oriented(w, h, 6)),
        ("phone-8.jpg", jpeg_oriented(w, h, 8)),
        ("phone-3.jpg", jpeg_oriented(w, h, 3)),
        ("moving.gif", {
            let mut gif = Vec::new();
            let mut enc = image::codecs::gif::GifEncoder::new(&mut gif);
            for c in [[200u8, 0, 0, 255], [0, 0, 200, 255]] {
                enc.encode_frame(image::Frame::new(image::RgbaImage::from_pixel(
                    w,
                    h,
                    Rgba(c),
                )))
                .unwrap();
            }
            drop(enc);
            gif
        }),
        ("green.webp", {
            let mut webp = Vec::new();
            image::RgbImage::from_pixel(w, h, Rgb([20, 160, 60]))
                .write_with_encoder(image::codecs::webp::WebPEncoder::new_lossless(&mut webp))
                .unwrap();
            webp
        }),
    ];
    let mut body = String::new();
    for (name, bytes) in &files {
        p.write_bytes(&format!("site/static/images/{name}"), bytes);
        body.push_str(&format!("![Picture {name}](/images/{name})\n\n"));
    }
    p.write("site/stories/photo.md", &format!("{STORY_HEAD}{body}"));
    let cache = p.path("cache-1");
    let o = p.ok_env(&["build"], &[("LMP_CACHE_DIR", cache.to_str().unwrap())]);
    no_panic(&o);
    assert!(
        o.stderr
            .split("\n\n")
            .any(|b| b.contains("moving.gif") && b.contains("first frame")),
        "{}",
        o.stderr
    );
    let html = p.read("public/stories/photo/index.html");
    // The fallback and the WebP of each picture at its own width, decoded.
    let outputs = |name: &str| -> Vec<image::RgbaImage> {
        let at = html.find(&format!("alt=\"Picture {name}\"")).unwrap();
        let pic = &html[html[..at].rfind("<picture").unwrap()..at];
        let src = pic
            .rsplit_once(" src=\"")
            .unwrap()
            .1
            .split('"')
            .next()
            .unwrap();
        let webp = pic
            .split("type=\"image/webp\" srcset=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .split(", ")
            .last()
            .unwrap()
            .split(' ')
            .next()
            .unwrap();
        [src, webp]
            .iter()
            .map(|u| {
                image::load_from_memory(&std::fs::read(p.path(&format!("public{u}"))).unwrap())
                    .unwrap_or_else(|e| panic!("{name}: {u}: {e}"))
                    .to_rgba8()
            })
            .collect()
    };
    let near = |a: [u8; 4], b: [u8; 4]| a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= 24);
    for name in ["rgb16.png", "rgba16.png"] {
        for img in outputs(name) {
            assert_eq!(img.dimensions(), (w, h), "{name}");
            let (l, r) = (img.get_pixel(20, 20).0, img.get_pixel(100, 20).0);
            assert!(
                near(l, [233, 19, 19, 255]) && near(r, [19, 19, 233, 255]),
                "{name}: {l:?} {r:?}"
            );
            if name == "rgba16.png" {
                assert_eq!(img.get_pixel(20, 60).0[3], 0, "{name}: transparent below");
            }
        }
    }
    for name in ["grey-alpha.png", "grey-alpha16.png"] {
        for img in outputs(name) {
            let (l, r) = (img.get_pixel(20, 20).0, img.get_pixel(100, 20).0);
            assert!(
                near(l, [40, 40, 40, 255]) && near(r, [218, 218, 218, 255]),
                "{name}: {l:?} {r:?}"
            );
            assert_eq!(img.get_pixel(20, 60).0[3], 0, "{name}: transparent below");
        }
    }
    for img in outputs("cmyk-no-profile.jpg") {
        let (l, r) = (img.get_pixel(20, 40).0, img.get_pixel(100, 40).0);
        // Cyan is low red, high green and blue; magenta high red and blue, low green.
        assert!(l[0] < 100 && l[1] > 150 && l[2] > 150, "cyan ink: {l:?}");
        assert!(r[0] > 150 && r[1] < 100 && r[2] > 150, "magenta ink: {r:?}");
    }
    // Upright: 6 puts the stored top (red) on the right, 8 on the left, 3 at the bottom.
    for (name, red_at, blue_at, size) in [
        ("phone-6.jpg", (60, 60), (20, 60), (h, w)),
        ("phone-8.jpg", (20, 60), (60, 60), (h, w)),
        ("phone-3.jpg", (60, 70), (60, 10), (w, h)),
    ] {
        for img in outputs(name) {
            assert_eq!(img.dimensions(), size, "{name}");
            let (red, blue) = (
                img.get_pixel(red_at.0, red_at.1).0,
                img.get_pixel(blue_at.0, blue_at.1).0,
            );
            assert!(
                red[0] > 150 && red[2] < 80 && blue[2] > 150 && blue[0] < 80,
                "{name}: {red:?} {blue:?}"
            );
        }
    }
    for img in outputs("moving.gif") {
        assert!(img.get_pixel(10, 10).0[0] > 150, "the first frame");
    }
    for img in outputs("green.webp") {
        assert!(
            near(img.get_pixel(10, 10).0, [20, 160, 60, 255]),
            "{:?}",
            img.get_pixel(10, 10)
        );
    }
    // The same bytes from a second cold build (another cache).
    let first = p.tree("public");
    std::fs::remove_dir_all(p.path("public")).unwrap();
    let cache = p.path("cache-2");
    p.ok_env(&["build"], &[("LMP_CACHE_DIR", cache.to_str().unwrap())]);
    assert!(first == p.tree("public"), "two cold builds differ");
}

/// A document in a folder of its own (`stories/bundle/index.md`) whose front matter is broken
/// is still at its folder's address for the links to it (its stub was `/stories/index/`): the
/// one error is its own.
#[test]
fn a_broken_document_in_a_folder_of_its_own_keeps_its_address() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/bundle/index.md",
        "---\ntitle: Bundle\ndate: 2020-13-01\nsummary: S.\ntopics: [ubt-basics]\n---\nText.\n",
    );
    p.write(
        "site/stories/linker.md",
        &format!("{STORY_HEAD}See [the bundle](/stories/bundle/).\n"),
    );
    let o = p.fails(&["check"]);
    no_panic(&o);
    assert!(
        o.stderr
            .contains("site/stories/bundle/index.md:3:7: error:"),
        "{}",
        o.stderr
    );
    assert_eq!(o.errors().len(), 1, "{}", o.stderr);
}

/// Two stories with the same title (a file copied to start a new one, its title kept) were
/// published without a word; `medical_offices: "34"` was told "write the number with digits
/// only, e.g. `34`", which it is (its quotes make it text); `high_performing_ubts: 73%` was not
/// told that the field is a count.
#[test]
fn a_copied_title_a_quoted_number_and_a_percentage_for_a_count_are_told_the_fix() {
    let p = Project::fixture("basic");
    let first = p.read("site/stories/first-story.md");
    let title = first
        .lines()
        .find_map(|l| l.strip_prefix("title: "))
        .unwrap()
        .to_string();
    p.write(
        "site/stories/zz-copy.md",
        &format!(
            "---\ntitle: {title}\ndate: 2020-01-01\nsummary: S.\ntopics: [ubt-basics]\n---\nText.\n"
        ),
    );
    let o = p.run(&["check"]);
    no_panic(&o);
    let b = block(&o, "site/stories/zz-copy.md:2:8: warning:");
    assert!(
        b.contains("`title` is the same as that of stories/first-story.md")
            && b.contains("give each page its own title"),
        "{b}"
    );
    let text = p.read("site/regions/colorado.md");
    p.write(
        "site/regions/colorado.md",
        &text.replace("\nubts: 256\n", "\nubts: \"256\"\n").replace(
            "\nhigh_performing_ubts: 188\n",
            "\nhigh_performing_ubts: 73%\n",
        ),
    );
    let o = p.fails(&["check"]);
    let b = block(&o, "site/regions/colorado.md:5:7: error:");
    assert!(
        b.contains("found `\"256\"`: the quotes make it text")
            && b.contains("remove the quotes: write `256`"),
        "{b}"
    );
    let b = block(&o, "site/regions/colorado.md:6:23: error:");
    assert!(
        b.contains("without `%`: this field is a count, not a share"),
        "{b}"
    );
}

/// A YouTube or Vimeo address pasted alone in a paragraph was published as a link without a
/// word, where an editor expects the video: a warning at the address, with the component.
/// An address inside a sentence is a link, as written.
#[test]
fn a_video_address_pasted_alone_is_told_to_use_the_video_component() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/vid.md",
        &format!(
            "{STORY_HEAD}https://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n<https://vimeo.com/76979871>\n\nWatch it on https://youtu.be/dQw4w9WgXcQ today.\n"
        ),
    );
    let o = p.run(&["check"]);
    no_panic(&o);
    let b = block(&o, "site/stories/vid.md:7:1: warning:");
    assert!(
        b.contains("this YouTube address is shown as a link, not as the video")
            && b.contains("```{video}, then `src: https://www.youtube.com/watch?v=dQw4w9WgXcQ`"),
        "{b}"
    );
    let b = block(&o, "site/stories/vid.md:9:1: warning:");
    assert!(b.contains("this Vimeo address"), "{b}");
    assert!(!o.stderr.contains("vid.md:11:"), "{}", o.stderr);
}
