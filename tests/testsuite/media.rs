//! Images: the pipeline (responsive markup, ladder, EXIF orientation applied and metadata
//! dropped, determinism across cold builds) and every image check with a failing input.
//! Images are generated here, small except where a test needs a big one.

use crate::harness::Project;

const STORY: &str =
    "---\ntitle: A photo story\ndate: 2020-01-01\nsummary: A summary.\ntopics: [ubt-basics]\n";

/// A JPEG `w`×`h`: the top half red, the bottom half blue.
fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |_, y| {
        if y < h / 2 {
            image::Rgb([220, 20, 20])
        } else {
            image::Rgb([20, 20, 220])
        }
    });
    let mut out = Vec::new();
    img.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
        &mut out, 90,
    ))
    .unwrap();
    out
}

/// The same JPEG with an EXIF block: orientation 6 (turn 90° clockwise to view) and a GPS
/// pointer, the way phones write them.
fn jpeg_rotated_with_exif(w: u32, h: u32) -> Vec<u8> {
    let plain = jpeg(w, h);
    // TIFF little-endian, IFD0 with two entries: Orientation = 6, GPSInfo IFD pointer.
    let mut tiff: Vec<u8> = b"II*\0\x08\0\0\0".to_vec();
    tiff.extend(2u16.to_le_bytes());
    tiff.extend([0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0]);
    tiff.extend([0x25, 0x88, 4, 0, 1, 0, 0, 0, 38, 0, 0, 0]);
    tiff.extend(0u32.to_le_bytes());
    // GPS IFD: GPSLatitudeRef = "N".
    tiff.extend(1u16.to_le_bytes());
    tiff.extend([0x01, 0x00, 2, 0, 2, 0, 0, 0, b'N', 0, 0, 0]);
    tiff.extend(0u32.to_le_bytes());
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(&tiff);
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend(((app1.len() + 2) as u16).to_be_bytes());
    out.extend(&app1);
    out.extend(&plain[2..]);
    out
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb([90, 140, 200]));
    let mut out = Vec::new();
    img.write_with_encoder(image::codecs::png::PngEncoder::new(&mut out))
        .unwrap();
    out
}

mod hostile_png {
    include!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/support/hostile_png.rs"
    ));
}
use hostile_png::png_claiming;

fn decode(bytes: &[u8]) -> image::DynamicImage {
    image::load_from_memory(bytes).expect("an output image decodes")
}

/// Every `attr="value"` of the first tag starting with `start` after `from` in `html`.
fn attr<'a>(html: &'a str, tag_start: &str, name: &str) -> Option<&'a str> {
    let i = html.find(tag_start)?;
    let tag = &html[i..i + html[i..].find('>')?];
    let key = format!(" {name}=\"");
    let j = tag.find(&key)? + key.len();
    Some(&tag[j..j + tag[j..].find('"')?])
}

#[test]
fn lead_and_body_images_become_responsive_upright_and_metadata_free() {
    let p = Project::fixture("basic");
    p.write_bytes("site/static/images/lead.jpg", &jpeg(1000, 600));
    p.write_bytes(
        "site/static/images/phone.jpg",
        &jpeg_rotated_with_exif(120, 80),
    );
    p.write(
        "site/stories/photo.md",
        &format!(
            "{STORY}image: /images/lead.jpg\nimage_alt: A red and blue banner\nimage_caption: The banner.\nimage_credit: \"Photo: Pat\"\nimage_focus: 50% 20%\n---\nText.\n\n![A photo taken on a phone](../static/images/phone.jpg \"Taken on a phone\")\n\nInline ![a decorative rule](/images/phone.jpg) here, and a divider ![\"\"](/images/phone.jpg).\n"
        ),
    );
    let out = p.ok(&["build"]);
    let html = p.read("public/stories/photo/index.html");

    // The lead image: a picture with WebP candidates, width/height, loaded first.
    let lead = &html[html
        .find("<figure class=\"doc-image\">")
        .expect("a lead figure")..];
    assert!(lead.contains("<source type=\"image/webp\""), "{lead}");
    assert_eq!(attr(lead, "<img", "width"), Some("1000"));
    assert_eq!(attr(lead, "<img", "height"), Some("600"));
    assert_eq!(attr(lead, "<img", "fetchpriority"), Some("high"));
    assert_eq!(attr(lead, "<img", "loading"), None);
    let srcset = attr(lead, "<img", "srcset").unwrap();
    assert_eq!(
        srcset.matches(" 480w").count()
            + srcset.matches(" 800w").count()
            + srcset.matches(" 1000w").count(),
        3,
        "480, 800 and the source's own 1000 px, never upscaled: {srcset}"
    );
    assert!(!srcset.contains("1200w"), "{srcset}");
    assert!(
        lead.contains(
            "<figcaption>The banner. <span class=\"credit\">Photo: Pat</span></figcaption>"
        )
    );

    // The share card and thumbnail exist, at their sizes.
    let og = attr(&html, "<meta property=\"og:image\"", "content").unwrap();
    let og_file = og.rsplit_once("/media/").unwrap().1;
    let og_img = decode(&std::fs::read(p.path(&format!("public/media/{og_file}"))).unwrap());
    assert_eq!(
        (og_img.width(), og_img.height()),
        (1000, 525),
        "1200×630 aspect, never upscaled"
    );
    assert!(html.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
    assert!(html.contains("<meta property=\"og:image:alt\" content=\"A red and blue banner\">"));
    let list = p.read("public/stories/index.html");
    let card = &list[list
        .find("<div class=\"card-thumb\">")
        .expect("a card thumbnail")..];
    let thumb = attr(card, "<source", "srcset").unwrap();
    assert!(
        thumb.contains("-400x225-") && thumb.contains(" 400w"),
        "16:9 at 400 px: {thumb}"
    );

    // The body image: upright (the source is stored 120×80 with orientation 6), a figure with
    // its title as caption, lazy.
    let body = &html[html
        .find("<figure class=\"figure\">")
        .expect("a body figure")..];
    assert_eq!(attr(body, "<img", "width"), Some("80"));
    assert_eq!(attr(body, "<img", "height"), Some("120"));
    assert_eq!(attr(body, "<img", "loading"), Some("lazy"));
    assert_eq!(attr(body, "<img", "alt"), Some("A photo taken on a phone"));
    assert!(body.contains("<figcaption>Taken on a phone</figcaption>"));
    // Inline images stay inline (no figure inside a paragraph); `![""]` is decorative.
    assert!(html.contains("Inline <picture>"), "{html}");
    assert!(html.contains("alt=\"\" loading=\"lazy\""), "{html}");

    // Every output of the rotated photo is upright (red on the right after turning the stored
    // top to the right) and carries no EXIF, and so does the copy at its own path.
    let src = attr(body, "<img", "src").unwrap();
    for file in [
        src.trim_start_matches('/').to_string(),
        "images/phone.jpg".into(),
    ] {
        let bytes = std::fs::read(p.path(&format!("public/{file}"))).unwrap();
        assert!(!bytes.windows(4).any(|w| w == b"Exif"), "{file} has EXIF");
        let img = decode(&bytes).to_rgb8();
        assert_eq!(img.dimensions(), (80, 120), "{file}");
        let right = img.get_pixel(70, 60).0;
        let left = img.get_pixel(10, 60).0;
        assert!(
            right[0] > 150 && right[2] < 100,
            "{file}: right side is red: {right:?}"
        );
        assert!(
            left[2] > 150 && left[0] < 100,
            "{file}: left side is blue: {left:?}"
        );
    }
    let webps = std::fs::read_dir(p.path("public/media"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".webp")
        })
        .count();
    assert!(webps >= 4, "WebP variants are published");
    assert!(!out.stderr.contains(": error:"), "{}", out.stderr);
}

#[test]
fn two_cold_builds_with_images_are_byte_identical_and_a_warm_one_too() {
    let p = Project::fixture("basic");
    p.write_bytes("site/static/images/lead.jpg", &jpeg(900, 600));
    p.write_bytes("site/static/images/flat.png", &png(700, 300));
    p.write(
        "site/stories/photo.md",
        &format!("{STORY}image: /images/lead.jpg\nimage_alt: A banner\n---\nText.\n\n![A flat colour](/images/flat.png)\n"),
    );
    let a = p.path("cache-a");
    let b = p.path("cache-b");
    p.ok_env(&["build"], &[("LMP_CACHE_DIR", a.to_str().unwrap())]);
    let first = p.snapshot_dir("public");
    std::fs::remove_dir_all(p.path("public")).unwrap();
    p.ok_env(&["build"], &[("LMP_CACHE_DIR", b.to_str().unwrap())]);
    assert!(first == p.snapshot_dir("public"), "two cold builds differ");
    std::fs::remove_dir_all(p.path("public")).unwrap();
    p.ok_env(&["build"], &[("LMP_CACHE_DIR", a.to_str().unwrap())]);
    assert!(
        first == p.snapshot_dir("public"),
        "a warm build differs from a cold one"
    );
    assert!(
        first
            .iter()
            .any(|(k, _)| k.starts_with("media/") && k.ends_with(".webp"))
    );
    // Generated share cards (pages without a lead image) are part of the identical bytes.
    assert!(
        first
            .iter()
            .any(|(k, _)| k.starts_with("media/card-") && k.ends_with(".png"))
    );
    // The cache is outside the output, and holds the outputs.
    assert!(std::fs::read_dir(a.join("images")).unwrap().count() > 4);
}

/// Each failing input: (name, files to write, expected text in stderr, exit code).
#[test]
fn every_image_check_has_a_failing_input() {
    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec();
    let mut corrupt = jpeg(64, 64);
    let n = corrupt.len();
    corrupt.truncate(n / 3);
    corrupt.extend(std::iter::repeat_n(0x5a, 40));
    type Case = (
        &'static str,
        Vec<(&'static str, Vec<u8>)>,
        &'static [&'static str],
        i32,
    );
    let story = |fm: &str, body: &str| format!("{STORY}{fm}---\nText.\n\n{body}\n").into_bytes();
    let whole = jpeg(900, 600);
    let cut = whole[..whole.len() / 2].to_vec();
    let bomb = png_claiming(100_000, 100_000);
    let cases: Vec<Case> = vec![
        (
            "pdf as lead image",
            vec![
                ("site/static/images/report.jpg", pdf.clone()),
                (
                    "site/stories/x.md",
                    story("image: /images/report.jpg\nimage_alt: A report\n", ""),
                ),
            ],
            &[
                // QA s13: not "it is a PDF document, not an image" after "is not an image".
                "site/stories/x.md:6:8: error: `image`: /images/report.jpg is not an image: it is a PDF document\n",
                "help: use a JPEG, PNG, WebP or GIF",
            ],
            1,
        ),
        (
            "corrupt body image",
            vec![
                ("site/static/images/broken.jpg", corrupt),
                (
                    "site/stories/x.md",
                    story("", "![A team](/images/broken.jpg)"),
                ),
            ],
            &[
                "site/stories/x.md:9:1: error: /images/broken.jpg is not an image: it cannot be decoded",
            ],
            1,
        ),
        (
            "missing alt in the body",
            vec![
                ("site/static/images/a.png", png(700, 100)),
                (
                    "site/stories/x.md",
                    story("", "Some text ![](/images/a.png)"),
                ),
            ],
            &[
                "site/stories/x.md:9:11: error: the image /images/a.png has no alt text",
                "write `![\"\"](…)`",
            ],
            1,
        ),
        (
            "bad focus point",
            vec![
                ("site/static/images/a.png", png(700, 100)),
                (
                    "site/stories/x.md",
                    story(
                        "image: /images/a.png\nimage_alt: A bar\nimage_focus: middle\n",
                        "",
                    ),
                ),
            ],
            &["site/stories/x.md:8:14: error: `image_focus`: `middle` is not a focus point"],
            1,
        ),
        (
            "a JPEG cut short (an interrupted upload) as lead image",
            vec![
                ("site/static/images/cut.jpg", cut),
                (
                    "site/stories/x.md",
                    story("image: /images/cut.jpg\nimage_alt: A team\n", ""),
                ),
            ],
            &[
                "site/stories/x.md:6:8: error: `image`: /images/cut.jpg is not an image: the file is cut short",
                "help: the copy or upload of this file was interrupted: copy it again from the original",
            ],
            1,
        ),
        (
            // QA s7 Q103: `check` passed it, `build` refused it.
            "a PNG cut short as lead image",
            vec![
                ("site/static/images/half.png", {
                    let p = png(900, 600);
                    p[..p.len() / 2].to_vec()
                }),
                (
                    "site/stories/x.md",
                    story("image: /images/half.png\nimage_alt: A team\n", ""),
                ),
            ],
            &[
                "site/stories/x.md:6:8: error: `image`: /images/half.png is not an image: the file is cut short",
                "help: the copy or upload of this file was interrupted: copy it again from the original",
            ],
            1,
        ),
        (
            // QA s7 Q103 rest: a GIF cut in its first frame passed `check`.
            "a GIF cut short in the body",
            vec![
                ("site/static/images/half.gif", {
                    let g = gif(1, 700, 400);
                    g[..g.len() / 2].to_vec()
                }),
                (
                    "site/stories/x.md",
                    story("", "![A chart](/images/half.gif)"),
                ),
            ],
            &[
                "site/stories/x.md:9:1: error: /images/half.gif is not an image: the file is cut short",
                "help: the copy or upload of this file was interrupted: copy it again from the original",
            ],
            1,
        ),
        (
            "a 74-byte PNG that claims 100000×100000 pixels, in the body (QA s7 Q106: not \"not an image\")",
            vec![
                ("site/static/images/bomb.png", bomb.clone()),
                (
                    "site/stories/x.md",
                    story("", "![A poster](/images/bomb.png)"),
                ),
            ],
            &[
                "site/stories/x.md:9:1: error: /images/bomb.png is too large for lmp: it is 100000×100000 pixels (10000 megapixels); lmp reads pictures of at most 100 megapixels",
                "help: export it smaller (2400 px wide is plenty for the web; a phone's 50- or 108-megapixel mode makes pictures this large)",
                // The file itself, published as it is: the help fits a picture too large.
                "site/static/images/bomb.png: warning: this picture is published as it is",
                "help: export it smaller (2400 px wide is plenty for the web): lmp then publishes it re-encoded",
            ],
            1,
        ),
        (
            "the same PNG that no page shows: no crash, copied as it is",
            vec![("site/static/images/bomb.png", bomb)],
            &[],
            0,
        ),
        (
            "missing lead image",
            vec![(
                "site/stories/x.md",
                story("image: /images/nope.jpg\nimage_alt: A team\n", ""),
            )],
            &["site/stories/x.md:6:8: error:", "/images/nope.jpg"],
            1,
        ),
        (
            "missing body image",
            vec![(
                "site/stories/x.md",
                story("", "![A team](/images/nope.jpg)"),
            )],
            &[
                "site/stories/x.md:9:1: error: missing file: /images/nope.jpg is not a page or file of this site",
            ],
            1,
        ),
        (
            "lead image without alt text",
            vec![
                ("site/static/images/a.png", png(700, 100)),
                ("site/stories/x.md", story("image: /images/a.png\n", "")),
            ],
            &["site/stories/x.md:6:1: error: `image` has no `image_alt`"],
            1,
        ),
        (
            "alt text that is a file name (warning)",
            vec![
                ("site/static/images/a.png", png(700, 100)),
                (
                    "site/stories/x.md",
                    story("image: /images/a.png\nimage_alt: IMG_2041.jpg\n", ""),
                ),
            ],
            &["site/stories/x.md:7:12: warning: the alt text `IMG_2041.jpg` is a file name"],
            0,
        ),
        (
            "alt text over 250 characters (warning)",
            vec![
                ("site/static/images/a.png", png(700, 100)),
                (
                    "site/stories/x.md",
                    story(
                        "",
                        &format!("![{}](/images/a.png)", "A long description. ".repeat(14)),
                    ),
                ),
            ],
            &["warning: the alt text is 280 characters long"],
            0,
        ),
        (
            "image narrower than the column (warning)",
            vec![
                ("site/static/images/small.png", png(300, 200)),
                (
                    "site/stories/x.md",
                    story("", "![A small picture](/images/small.png)"),
                ),
            ],
            &["warning: /images/small.png is 300 px wide, narrower than the text column (656 px)"],
            0,
        ),
        (
            "a 25-megapixel image (warning)",
            vec![
                ("site/static/images/huge.png", png(6000, 4200)),
                (
                    "site/stories/x.md",
                    story(
                        "image: /images/huge.png\nimage_alt: A huge flat picture\n",
                        "",
                    ),
                ),
            ],
            &["warning: /images/huge.png is 6000×4200 pixels (25.2 megapixels"],
            0,
        ),
    ];
    let mut failures = Vec::new();
    for (name, files, expected, code) in cases {
        let p = Project::fixture("basic");
        for (rel, bytes) in &files {
            p.write_bytes(rel, bytes);
        }
        // `lmp check` reports the same, with a cache of its own that it leaves empty (QA s5
        // Q30: it decodes headers only and encodes nothing).
        let cache = p.path("check-cache");
        let checked = p.run_env(&["check"], &[("LMP_CACHE_DIR", cache.to_str().unwrap())]);
        let cached = walkdir::WalkDir::new(&cache)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .count();
        if cached > 0 {
            failures.push(format!(
                "{name}: lmp check wrote {cached} files into the image cache"
            ));
        }
        for (cmd, out) in [("check", checked), ("build", p.run(&["build"]))] {
            if out.code != code {
                failures.push(format!(
                    "{name}: {cmd}: exit code {} (expected {code})\n{}",
                    out.code, out.stderr
                ));
                continue;
            }
            for e in expected {
                if !out.stderr.contains(e) {
                    failures.push(format!(
                        "{name}: {cmd}: stderr lacks {e:?}:\n{}",
                        out.stderr
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn cache_dir_in_config_moves_the_image_cache_and_the_variable_wins() {
    let p = Project::fixture("basic");
    p.write_bytes("site/static/images/lead.jpg", &jpeg(700, 400));
    let cfg = p.read("site/config.yaml");
    p.write(
        "site/config.yaml",
        &format!("{cfg}\ncache_dir: ../my-cache\n"),
    );
    let files = |dir: &str| -> usize {
        std::fs::read_dir(p.path(dir))
            .map(|d| d.count())
            .unwrap_or(0)
    };
    let mut c = p.command(&["build"]);
    c.env_remove("LMP_CACHE_DIR");
    let out = crate::harness::Output::of(c.output().unwrap());
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        files("my-cache/images") >= 4,
        "the ladder is cached in cache_dir"
    );
    assert!(!p.exists(".lmp-cache"), "not in the default folder");
    assert!(
        !p.exists("my-cache/.gitignore"),
        "a folder the author named is theirs"
    );
    // The default folder keeps itself out of git (QA s5 Q47).
    let mut c = p.command(&["build"]);
    c.env_remove("LMP_CACHE_DIR");
    std::fs::write(p.path("site/config.yaml"), &cfg).unwrap();
    assert_eq!(crate::harness::Output::of(c.output().unwrap()).code, 0);
    assert!(p.read(".lmp-cache/.gitignore").lines().any(|l| l == "*"));
    p.write(
        "site/config.yaml",
        &format!("{cfg}\ncache_dir: ../my-cache\n"),
    );
    let env = p.path("env-cache");
    p.ok_env(&["build"], &[("LMP_CACHE_DIR", env.to_str().unwrap())]);
    assert!(
        files("env-cache/images") >= 4,
        "$LMP_CACHE_DIR wins over cache_dir"
    );
    // A value that is not a folder path is an error at its line.
    p.write("site/config.yaml", &format!("{cfg}\ncache_dir: [a]\n"));
    let out = p.run(&["build"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("site/config.yaml:") && out.stderr.contains("cache_dir"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_figure_component_goes_through_the_image_pipeline() {
    let p = Project::fixture("basic");
    p.write_bytes("site/static/images/team.jpg", &jpeg(1000, 500));
    p.write(
        "site/stories/fig.md",
        &format!("{STORY}---\nText.\n\n```{{figure}}\nsrc: /images/team.jpg\nalt: The team at the board\ncaption: Our board.\n```\n"),
    );
    p.ok(&["build"]);
    let html = p.read("public/stories/fig/index.html");
    let fig = &html[html
        .find("<figure class=\"component-figure\">")
        .expect("a figure")..];
    assert!(
        fig.contains("<picture><source type=\"image/webp\" srcset=\"/media/team-480x240-"),
        "{fig}"
    );
    assert_eq!(attr(fig, "<img", "width"), Some("1000"));
    assert_eq!(attr(fig, "<img", "height"), Some("500"));
    assert_eq!(attr(fig, "<img", "alt"), Some("The team at the board"));
    assert!(attr(fig, "<img", "srcset").unwrap().contains(" 800w"));
    assert!(fig.contains("<figcaption>Our board.</figcaption>"));
    // A file that is not an image is an error at the argument.
    p.write(
        "site/stories/fig.md",
        &format!("{STORY}---\nText.\n\n```{{figure}}\nsrc: /files/huddle-checklist.txt\nalt: A checklist\n```\n"),
    );
    let out = p.run(&["build"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("/files/huddle-checklist.txt is not an image"),
        "{}",
        out.stderr
    );
    // A picture on another site is shown as it is there: a warning at its line (QA s5).
    p.write(
        "site/stories/fig.md",
        &format!("{STORY}---\nText.\n\n```{{figure}}\nalt: A partner's photo\nsrc: https://partner.example/pic.jpg\n```\n"),
    );
    let out = p.ok(&["build"]);
    assert!(
        out.stderr.contains("site/stories/fig.md:11:6: warning: the picture https://partner.example/pic.jpg is on another site")
            && out.stderr.contains("save it under static/images/"),
        "{}",
        out.stderr
    );
}

/// The `content` of the first `<meta property|name="key">` of a page.
fn meta<'a>(html: &'a str, key: &str) -> Option<&'a str> {
    let i = html
        .find(&format!("property=\"{key}\""))
        .or_else(|| html.find(&format!("name=\"{key}\"")))?;
    let start = html[..i].rfind('<')?;
    attr(&html[start..], "<meta", "content")
}

/// The generated card a page's `og:image` names: its site path, after checking the meta tags.
fn card_of(p: &Project, page: &str, title: &str) -> image::RgbImage {
    let html = p.read(page);
    let url = meta(&html, "og:image").unwrap_or_else(|| panic!("no og:image in {page}"));
    assert!(url.contains("/media/card-"), "{url}");
    assert_eq!(meta(&html, "twitter:image"), Some(url));
    assert_eq!(meta(&html, "twitter:card"), Some("summary_large_image"));
    assert_eq!(meta(&html, "og:image:width"), Some("1200"));
    assert_eq!(meta(&html, "og:image:height"), Some("630"));
    let alt = meta(&html, "og:image:alt").unwrap();
    assert!(alt.starts_with(title), "{alt}");
    assert!(
        alt.contains("Story") && alt.contains("Fixture Partnership"),
        "{alt}"
    );
    let rel = url.strip_prefix("https://example.org/").unwrap();
    let bytes = std::fs::read(p.path(&format!("public/{rel}"))).unwrap();
    assert!(bytes.starts_with(b"\x89PNG"));
    let img = decode(&bytes).to_rgb8();
    assert_eq!(img.dimensions(), (1200, 630));
    img
}

/// No text pixel in the right margin (x ≥ 1125) nor below the title box (y 566–605).
fn margins_are_clear(img: &image::RgbImage, what: &str) {
    let bg = *img.get_pixel(1199, 300);
    assert_eq!(bg.0, [0, 58, 93], "the theme's brand colour");
    for y in 0..606 {
        for x in 1125..1200 {
            assert_eq!(*img.get_pixel(x, y), bg, "{what}: text at ({x}, {y})");
        }
    }
    for y in 566..606 {
        for x in 0..1200 {
            assert_eq!(*img.get_pixel(x, y), bg, "{what}: text at ({x}, {y})");
        }
    }
}

#[test]
fn pages_without_an_image_get_a_generated_share_card_that_never_overflows() {
    let p = Project::fixture("basic");
    let long: String =
        "Frontline teams in every region measured, tested and improved how they hand \
         off patients between shifts, and three years of results were shared with every \
         unit-based team in the partnership this year, region by region"
            .chars()
            .take(200)
            .collect();
    assert_eq!(long.chars().count(), 200);
    let spanish = "¿Cómo logró Oncología reducir las caídas? Años de mejoras pequeñas";
    let story = |title: &str| {
        format!("---\ntitle: \"{title}\"\ndate: 2020-01-01\nsummary: A summary.\n---\nText.\n")
    };
    p.write("site/stories/long-title.md", &story(&long));
    p.write("site/stories/acentos.md", &story(spanish));
    p.write_bytes("site/static/images/lead.jpg", &jpeg(1300, 700));
    p.write(
        "site/stories/photo.md",
        &format!("{STORY}image: /images/lead.jpg\nimage_alt: A banner\n---\nText.\n"),
    );
    p.ok(&["build"]);
    let img = card_of(&p, "public/stories/long-title/index.html", &long);
    margins_are_clear(&img, "200-character title");
    // The title is drawn: white pixels in the title box.
    let white = (240..560)
        .flat_map(|y| (80..1120).map(move |x| (x, y)))
        .filter(|&(x, y)| img.get_pixel(x, y).0 == [255, 255, 255])
        .count();
    assert!(white > 20_000, "{white} white pixels");
    let es = card_of(&p, "public/stories/acentos/index.html", spanish);
    margins_are_clear(&es, "Spanish title");
    // A page with a lead image shares the crop of its photo, not a generated card.
    let html = p.read("public/stories/photo/index.html");
    let og = meta(&html, "og:image").unwrap();
    assert!(og.ends_with(".jpg") && !og.contains("/card-"), "{og}");

    // A title edit makes a new card (and the old one is gone from the output).
    let before = meta(&p.read("public/stories/acentos/index.html"), "og:image")
        .unwrap()
        .to_string();
    p.write("site/stories/acentos.md", &story("Señal nueva"));
    p.ok(&["build"]);
    let after = meta(&p.read("public/stories/acentos/index.html"), "og:image")
        .unwrap()
        .to_string();
    assert_ne!(before, after);
    let old = before.strip_prefix("https://example.org/").unwrap();
    assert!(!p.exists(&format!("public/{old}")));

    // `share_cards: false` turns them off.
    let cfg = p.read("site/config.yaml");
    p.write("site/config.yaml", &format!("share_cards: false\n{cfg}"));
    p.ok(&["build"]);
    let html = p.read("public/stories/acentos/index.html");
    assert_eq!(meta(&html, "og:image"), None);
}

#[test]
fn a_title_in_a_script_the_card_font_lacks_is_a_warning_and_left_off_the_card_not_tofu() {
    let p = Project::fixture("basic");
    let story = |title: &str| {
        format!(
            "---\ntitle: \"{title}\"\ndate: 2020-01-01\nsummary: A summary.\ntopics: [ubt-basics]\n---\nText.\n"
        )
    };
    p.write(
        "site/stories/japanese.md",
        &story("労使パートナーシップの成果"),
    );
    // Covered: the ʻokina, Vietnamese, Greek, Cyrillic; an emoji is left out with a warning.
    p.write(
        "site/stories/hawaii.md",
        &story("Hawaiʻi: Việt ngữ, Ελληνικά, Кириллица №1"),
    );
    p.write("site/stories/party.md", &story("Our best year 🎉"));
    let out = p.run(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "site/stories/japanese.md:2:8: warning: the share card leaves out the title: its font has no letter `労`, `使`, `パ`, `ー`, `ト` and 7 more"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("covers the Latin, Greek and Cyrillic scripts"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(
            "site/stories/party.md:2:8: warning: the share card leaves `🎉` out of the title: its font has no such sign"
        ),
        "{}",
        out.stderr
    );
    let party = meta(&p.read("public/stories/party/index.html"), "og:image:alt").map(String::from);
    assert_eq!(
        party.as_deref(),
        Some("Our best year (Story, Fixture Partnership)")
    );
    let hawaii =
        meta(&p.read("public/stories/hawaii/index.html"), "og:image:alt").map(String::from);
    assert_eq!(
        hawaii.as_deref(),
        Some("Hawaiʻi: Việt ngữ, Ελληνικά, Кириллица №1 (Story, Fixture Partnership)")
    );
    let html = p.read("public/stories/japanese/index.html");
    // The alt text says what the card shows: no title.
    assert_eq!(
        meta(&html, "og:image:alt"),
        Some("Story, Fixture Partnership")
    );
    let url = meta(&html, "og:image").unwrap();
    let rel = url.strip_prefix("https://example.org/").unwrap();
    let img = decode(&std::fs::read(p.path(&format!("public/{rel}"))).unwrap()).to_rgb8();
    margins_are_clear(&img, "Japanese title");
    // Nothing in the title box: no empty boxes where the letters would be.
    let bg = *img.get_pixel(1199, 300);
    for y in 240..560 {
        for x in 80..1120 {
            assert_eq!(
                *img.get_pixel(x, y),
                bg,
                "a mark in the title box at ({x}, {y})"
            );
        }
    }
    // The fixture's titles and the covered scripts draw no such warning.
    assert_eq!(
        out.stderr.matches("warning: the share card leaves").count(),
        2
    );
}

#[test]
fn gif_and_webp_sources_go_through_the_pipeline_a_gif_as_its_first_frame() {
    let p = Project::fixture("basic");
    // An animated GIF: a red frame, then a blue one.
    let mut gif = Vec::new();
    {
        let mut enc = image::codecs::gif::GifEncoder::new(&mut gif);
        for c in [[200u8, 0, 0, 255], [0, 0, 200, 255]] {
            let frame = image::Frame::new(image::RgbaImage::from_pixel(700, 400, image::Rgba(c)));
            enc.encode_frame(frame).unwrap();
        }
    }
    let mut webp = Vec::new();
    image::RgbImage::from_pixel(900, 300, image::Rgb([20, 160, 60]))
        .write_with_encoder(image::codecs::webp::WebPEncoder::new_lossless(&mut webp))
        .unwrap();
    p.write_bytes("site/static/images/moving.gif", &gif);
    p.write_bytes("site/static/images/green.webp", &webp);
    p.write(
        "site/stories/photo.md",
        &format!(
            "{STORY}image: /images/green.webp\nimage_alt: A green band\n---\nText.\n\n![A red square](/images/moving.gif)\n"
        ),
    );
    p.ok(&["build"]);
    let html = p.read("public/stories/photo/index.html");
    let body = &html[html
        .find("A red square")
        .map(|i| html[..i].rfind("<picture").unwrap())
        .unwrap()..];
    assert_eq!(attr(body, "<img", "width"), Some("700"));
    assert_eq!(attr(body, "<img", "height"), Some("400"));
    let src = attr(body, "<img", "src").unwrap();
    // A GIF decodes with an alpha channel, so its fallback is PNG.
    assert!(src.ends_with(".png"), "{src}");
    assert!(body.contains("<source type=\"image/webp\""), "{body}");
    let first = decode(&std::fs::read(p.path(&format!("public{src}"))).unwrap()).to_rgb8();
    let px = first.get_pixel(350, 200).0;
    assert!(
        px[0] > 150 && px[2] < 60,
        "the first frame (red), not the second: {px:?}"
    );
    let lead = &html[html
        .find("<figure class=\"doc-image\">")
        .expect("a lead figure")..];
    assert_eq!(attr(lead, "<img", "width"), Some("900"));
    let src = attr(lead, "<img", "src").unwrap();
    let px = decode(&std::fs::read(p.path(&format!("public{src}"))).unwrap())
        .to_rgb8()
        .get_pixel(10, 10)
        .0;
    assert!(
        px[1] > 120 && px[0] < 60,
        "the WebP source's pixels: {px:?}"
    );
}

#[test]
fn every_page_that_is_not_a_document_shares_the_site_card() {
    let p = Project::fixture("basic");
    p.ok(&["build"]);
    let site = meta(&p.read("public/index.html"), "og:image")
        .expect("the home page has a share card")
        .to_string();
    assert!(site.contains("/media/card-site-en-"), "{site}");
    for page in [
        "public/index.html",
        "public/stories/index.html",
        "public/topics/ubt-basics/index.html",
        "public/regions/index.html",
        "public/search/index.html",
        "public/404.html",
    ] {
        let html = p.read(page);
        assert_eq!(meta(&html, "og:image"), Some(site.as_str()), "{page}");
        assert_eq!(
            meta(&html, "twitter:card"),
            Some("summary_large_image"),
            "{page}"
        );
        assert_eq!(meta(&html, "og:image:width"), Some("1200"), "{page}");
        assert_eq!(
            meta(&html, "og:image:alt"),
            Some("A small site that uses every collection. (Fixture Partnership)"),
            "{page}"
        );
    }
    // A document keeps its own card.
    let story = meta(&p.read("public/stories/first-story/index.html"), "og:image")
        .unwrap()
        .to_string();
    assert!(story.contains("/media/card-first-story-"), "{story}");
    let rel = site.strip_prefix("https://example.org/").unwrap();
    let img = decode(&std::fs::read(p.path(&format!("public/{rel}"))).unwrap()).to_rgb8();
    assert_eq!(img.dimensions(), (1200, 630));
    margins_are_clear(&img, "the site card");
}

/// Two JPEGs of the same size in bytes and pixels that look different (red/blue and green): the
/// shorter is padded with a JPEG comment segment.
fn same_size_jpegs(w: u32, h: u32) -> (Vec<u8>, Vec<u8>) {
    let a = jpeg(w, h);
    let img = image::RgbImage::from_fn(w, h, |x, _| image::Rgb([20, 200, (x % 256) as u8]));
    let mut b = Vec::new();
    img.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
        &mut b, 90,
    ))
    .unwrap();
    let target = a.len().max(b.len()) + 8;
    let pad = |j: &[u8]| -> Vec<u8> {
        let n = target - j.len();
        let mut out = j[..2].to_vec();
        out.extend([0xFF, 0xFE, ((n - 2) >> 8) as u8, (n - 2) as u8]);
        out.extend(std::iter::repeat_n(b'x', n - 4));
        out.extend(&j[2..]);
        out
    };
    (pad(&a), pad(&b))
}

fn set_mtime(path: &std::path::Path, t: std::time::SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(t)
        .unwrap();
}

/// Issue 13: a warm build neither reads nor hashes an unchanged photo (the cache keeps each
/// file's size, mtime and inode with its digest, as git's index does), and copies the cached
/// outputs into the output (never a hard link of the cache: QA s5 Q81); a photo whose mtime
/// changed is read again.
#[test]
fn a_warm_build_trusts_the_record_of_an_unchanged_photo_and_copies_cached_outputs() {
    let p = Project::fixture("basic");
    let (red, green) = same_size_jpegs(900, 600);
    assert_eq!(red.len(), green.len());
    let photo = p.path("site/static/images/lead.jpg");
    p.write_bytes("site/static/images/lead.jpg", &red);
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    set_mtime(&photo, then);
    p.write(
        "site/stories/photo.md",
        &format!("{STORY}image: /images/lead.jpg\nimage_alt: A banner\n---\nText.\n"),
    );
    let cache = p.path("cache");
    let env = [("LMP_CACHE_DIR", cache.to_str().unwrap())];
    p.ok_env(&["build"], &env);
    let media = |p: &Project| {
        p.snapshot_dir("public")
            .into_iter()
            .filter(|(k, _)| k.starts_with("media/lead-") || k == "images/lead.jpg")
            .collect::<Vec<_>>()
    };
    let first = media(&p);
    assert!(
        first.len() >= 8,
        "{:?}",
        first.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    // No output of the photo is a hard link of a file in the cache.
    assert_not_linked_to_cache(&p, "public", &cache);
    // The photo's bytes change in place with the same size, inode and mtime: the record is
    // trusted (git's index does the same), so the photo is not read and nothing changes.
    std::fs::write(&photo, &green).unwrap();
    set_mtime(&photo, then);
    p.ok_env(&["build"], &env);
    assert!(
        media(&p) == first,
        "an unchanged record made the build read the photo"
    );
    // Its mtime moves: it is read again, and the outputs follow the new bytes.
    set_mtime(&photo, then + std::time::Duration::from_secs(60));
    p.ok_env(&["build"], &env);
    let after = media(&p);
    assert!(
        after != first,
        "a photo with a new mtime was not read again"
    );
    assert!(
        after
            .iter()
            .all(|(k, _)| !first.iter().any(|(f, _)| f == k && k.starts_with("media/")))
    );
}

/// A GIF of `n` frames, `w`×`h`.
fn gif(n: usize, w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = image::codecs::gif::GifEncoder::new(&mut out);
        enc.set_repeat(image::codecs::gif::Repeat::Infinite)
            .unwrap();
        let frames = (0..n).map(|i| {
            image::Frame::new(image::RgbaImage::from_fn(w, h, |x, _| {
                image::Rgba([(x % 256) as u8, (i * 70) as u8, 90, 255])
            }))
        });
        enc.encode_frames(frames).unwrap();
    }
    out
}

/// QA s5 Q60: an animated GIF is published as its first frame; where it is used (a lead
/// `image:`, a body image), a warning says so and what to do instead; a still GIF gets none.
/// The frame count is kept in the cache's record, so a warm build warns too.
#[test]
fn an_animated_gif_is_a_warning_that_only_its_first_frame_is_shown() {
    let p = Project::fixture("basic");
    p.write_bytes("site/static/images/anim.gif", &gif(3, 700, 400));
    p.write_bytes("site/static/images/still.gif", &gif(1, 700, 400));
    // Older than the record's 2-second "racy" window, so the warm build takes it from the record.
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    set_mtime(&p.path("site/static/images/anim.gif"), then);
    p.write(
        "site/stories/anim.md",
        &format!(
            "{STORY}image: /images/anim.gif\nimage_alt: A waving hand\n---\nText.\n\nSee ![Waving](/images/anim.gif) and ![Still](/images/still.gif).\n"
        ),
    );
    let cache = p.path("cache");
    let env = [("LMP_CACHE_DIR", cache.to_str().unwrap())];
    for round in ["cold", "warm"] {
        let out = p.ok_env(&["build"], &env);
        let e = out.stderr_redacted();
        let said = "/images/anim.gif is an animated GIF (3 frames): only its first frame is shown";
        assert!(
            e.contains(&format!("site/stories/anim.md:6:8: warning: {said}"))
                && e.contains(&format!("site/stories/anim.md:11:5: warning: {said}"))
                && e.contains("help: to show the motion, make it a short video"),
            "{round}: {e}"
        );
        assert_eq!(e.matches("animated").count(), 2, "{round}: {e}");
        assert!(
            !e.lines()
                .any(|l| l.contains("warning:") && l.contains("still.gif")),
            "{round}: {e}"
        );
    }
    // The page shows the first frame, as a still picture.
    let html = p.read("public/stories/anim/index.html");
    assert!(html.contains("/media/anim-700x400-"), "{html}");
}

/// QA s6: an image cache that cannot be written is said once (every build then encodes again).
#[test]
fn an_image_cache_that_cannot_be_written_is_a_warning_once() {
    let p = Project::fixture("basic");
    p.write_bytes("site/static/images/lead.jpg", &jpeg(900, 600));
    let out = p.ok_env(&["build"], &[("LMP_CACHE_DIR", "/proc/lmp-nope")]);
    assert_eq!(
        out.stderr
            .matches("warning: cannot write the image cache in /proc/lmp-nope/images")
            .count(),
        1,
        "{}",
        out.stderr
    );
    assert!(p.exists("public/images/lead.jpg"));
}

/// Fails when a file of `out`'s `media/` folder shares its inode with a file of the image cache.
fn assert_not_linked_to_cache(p: &Project, out: &str, cache: &std::path::Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let cached: std::collections::HashSet<u64> = std::fs::read_dir(cache.join("images"))
            .unwrap()
            .map(|e| e.unwrap().metadata().unwrap().ino())
            .collect();
        let media: Vec<_> = std::fs::read_dir(p.path(&format!("{out}/media")))
            .unwrap()
            .map(|e| e.unwrap())
            .collect();
        assert!(!media.is_empty());
        for e in media {
            let m = e.metadata().unwrap();
            assert!(
                !cached.contains(&m.ino()),
                "{out}/media/{:?} is a hard link of a file in the image cache",
                e.file_name()
            );
        }
    }
    #[cfg(not(unix))]
    let _ = (p, out, cache);
}

/// QA s5 Q81: outputs are copies of the image cache, not hard links: editing one output's image
/// in place (an optimiser, `exiftool`, an editor saving over it) changes neither the cache nor
/// another output folder built from the same cache, cold or warm; the next build of the edited
/// folder puts the image back. An output left by an older lmp whose files are links of the
/// cache is not kept linked.
#[test]
fn an_output_image_edited_in_place_changes_neither_the_cache_nor_another_output() {
    let p = Project::fixture("basic");
    p.write_bytes("site/static/images/lead.jpg", &jpeg(900, 600));
    p.write(
        "site/stories/photo.md",
        &format!("{STORY}image: /images/lead.jpg\nimage_alt: A banner\n---\nText.\n"),
    );
    let cache = p.path("cache");
    let env = [("LMP_CACHE_DIR", cache.to_str().unwrap())];
    let cached = || {
        let mut v: Vec<(std::path::PathBuf, Vec<u8>)> = std::fs::read_dir(cache.join("images"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|f| !f.ends_with("record.v1"))
            .map(|f| {
                let b = std::fs::read(&f).unwrap();
                (f, b)
            })
            .collect();
        v.sort();
        v
    };
    // Edit every image of `out` in place: same inode, same size.
    let edit = |out: &str| {
        use std::io::{Seek as _, Write as _};
        for e in std::fs::read_dir(p.path(&format!("{out}/media"))).unwrap() {
            let path = e.unwrap().path();
            let mut f = std::fs::File::options().write(true).open(&path).unwrap();
            f.seek(std::io::SeekFrom::Start(40)).unwrap();
            f.write_all(b"WATERMARK").unwrap();
        }
    };
    for round in ["cold", "warm"] {
        p.ok_env(&["build", "--out", "public"], &env);
        p.ok_env(&["build", "--out", "staging"], &env);
        assert_not_linked_to_cache(&p, "public", &cache);
        assert_not_linked_to_cache(&p, "staging", &cache);
        let public = p.snapshot_dir("public");
        let staging = p.snapshot_dir("staging");
        let cache_before = cached();
        assert!(cache_before.len() >= 8, "{round}");
        edit("public");
        assert!(
            p.snapshot_dir("public") != public,
            "{round}: the edit did nothing"
        );
        assert!(
            p.snapshot_dir("staging") == staging,
            "{round}: editing public/ changed staging/"
        );
        assert!(
            cached() == cache_before,
            "{round}: editing public/ changed the cache"
        );
        // The next build of public/ puts its images back.
        p.ok_env(&["build", "--out", "public"], &env);
        assert!(
            p.snapshot_dir("public") == public,
            "{round}: the edited images stayed in public/"
        );
    }
    // An output whose file is a hard link of the cache, as an older lmp wrote it (its manifest
    // records that file): the next build copies, it does not keep the link.
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let manifest = p.read(".public.lmp-manifest");
        let cache_now = cached();
        // An output image and the cache file with its bytes.
        let (line, rel, cached_file) = manifest
            .lines()
            .filter_map(|l| {
                let rel = l.splitn(5, ' ').nth(4)?;
                if !rel.starts_with("media/") {
                    return None;
                }
                let bytes = std::fs::read(p.path(&format!("public/{rel}"))).ok()?;
                let (f, _) = cache_now.iter().find(|(_, b)| *b == bytes)?;
                Some((l.to_string(), rel.to_string(), f.clone()))
            })
            .next()
            .unwrap_or_else(|| panic!("no output image is in the cache:\n{manifest}"));
        let out_file = p.path(&format!("public/{rel}"));
        std::fs::remove_file(&out_file).unwrap();
        std::fs::hard_link(&cached_file, &out_file).unwrap();
        let m = std::fs::metadata(&out_file).unwrap();
        let f: Vec<&str> = line.splitn(5, ' ').collect();
        let old = format!(
            "{} {} {} {} {rel}",
            f[0],
            f[1],
            m.ino(),
            m.mtime() as i128 * 1_000_000_000 + m.mtime_nsec() as i128
        );
        p.write(".public.lmp-manifest", &manifest.replace(&line, &old));
        p.ok_env(&["build", "--out", "public"], &env);
        assert_not_linked_to_cache(&p, "public", &cache);
    }
}

/// QA (s4): a cached file cut short or damaged on disk is noticed and made again, never
/// published; with the cache's record lost too, a file cut short is still noticed.
#[test]
fn a_damaged_image_cache_file_is_made_again_not_published() {
    let p = Project::fixture("basic");
    p.write_bytes("site/static/images/lead.jpg", &jpeg(900, 600));
    set_mtime(
        &p.path("site/static/images/lead.jpg"),
        std::time::SystemTime::now() - std::time::Duration::from_secs(3600),
    );
    p.write(
        "site/stories/photo.md",
        &format!("{STORY}image: /images/lead.jpg\nimage_alt: A banner\n---\nText.\n"),
    );
    let cache = p.path("cache");
    let env = [("LMP_CACHE_DIR", cache.to_str().unwrap())];
    p.ok_env(&["build"], &env);
    let first = p.snapshot_dir("public");
    let cached: Vec<std::path::PathBuf> = std::fs::read_dir(cache.join("images"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|f| {
            f.extension()
                .is_some_and(|e| e == "webp" || e == "jpg" || e == "png")
        })
        .collect();
    assert!(cached.len() >= 8);
    let damage = |keep: u64| {
        for f in &cached {
            // In place (the same inode).
            std::fs::File::options()
                .write(true)
                .open(f)
                .unwrap()
                .set_len(keep)
                .unwrap();
        }
    };
    damage(100);
    p.ok_env(&["build"], &env);
    assert!(
        p.snapshot_dir("public") == first,
        "a damaged cache file was published"
    );
    // Without the record, a file cut short is found by its format (WebP's RIFF size, JPEG's
    // end marker, PNG's IEND).
    std::fs::remove_file(cache.join("images/record.v1")).unwrap();
    damage(300);
    p.ok_env(&["build"], &env);
    assert!(
        p.snapshot_dir("public") == first,
        "a cut cache file was published without a record"
    );
    for f in &cached {
        assert!(
            std::fs::metadata(f).unwrap().len() > 300,
            "{} was not made again",
            f.display()
        );
    }
}

/// QA (s4): an SVG is published as it is, so a script in it runs on the site's origin when it
/// is opened directly: an error at its line and column; a reference to another site, a warning.
#[test]
fn an_svg_with_a_script_is_an_error_and_one_loading_another_site_a_warning() {
    let p = Project::fixture("basic");
    p.write(
        "site/static/images/evil.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">\n  <rect width=\"10\" height=\"10\" onclick=\"steal()\"/>\n  <script>alert(document.cookie)</script>\n</svg>\n",
    );
    p.write(
        "site/static/images/remote.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 10 10\">\n<image xlink:href=\"https://tracker.example/pixel.png\" width=\"1\" height=\"1\"/>\n</svg>\n",
    );
    let out = p.fails(&["build"]);
    let e = out.stderr_redacted();
    assert!(
        e.contains("site/static/images/evil.svg:2:32: error: the SVG has an event handler `onclick=`")
            && e.contains("site/static/images/evil.svg:3:3: error: the SVG has a `<script>` element")
            && e.contains("site/static/images/remote.svg:2:20: warning: the SVG loads `https://tracker.example/pixel.png` from another site")
            && e.contains("help: remove it"),
        "{e}"
    );
    // Without the script it builds, with the warning.
    p.write(
        "site/static/images/evil.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"10\" height=\"10\"/></svg>\n",
    );
    let out = p.ok(&["build"]);
    assert!(
        out.stderr.contains("remote.svg:2:20: warning"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("evil.svg"), "{}", out.stderr);
}

/// Two copies of one photo under the same name in two folders make the same output files: each
/// is written once, and the cache's files (linked into the output) stay whole.
#[test]
fn one_photo_under_two_folders_is_written_once_and_the_cache_stays_whole() {
    let p = Project::fixture("basic");
    let photo = jpeg(700, 400);
    p.write_bytes("site/static/images/a/team.jpg", &photo);
    p.write_bytes("site/static/images/b/team.jpg", &photo);
    p.write(
        "site/stories/photo.md",
        &format!("{STORY}---\n![Team](/images/a/team.jpg)\n\n![Team again](/images/b/team.jpg)\n"),
    );
    let cache = p.path("cache");
    let env = [("LMP_CACHE_DIR", cache.to_str().unwrap())];
    for _ in 0..2 {
        let out = p.ok_env(&["build"], &env);
        assert!(!out.stderr.contains("damaged"), "{}", out.stderr);
        for e in std::fs::read_dir(cache.join("images")).unwrap() {
            let e = e.unwrap();
            assert!(
                e.metadata().unwrap().len() > 0,
                "{:?} was emptied",
                e.path()
            );
        }
    }
}

/// QA s5 Q55: a lead image too small for a share card is not announced as a large card: the
/// page gets a generated card, with a warning at `image`.
#[test]
fn a_lead_image_too_small_for_a_share_card_gets_a_generated_card_and_a_warning() {
    let p = Project::fixture("basic");
    p.write_bytes("site/static/images/tiny.jpg", &jpeg(120, 80));
    p.write(
        "site/stories/tiny.md",
        &format!("{STORY}image: /images/tiny.jpg\nimage_alt: A tiny badge\n---\nText.\n"),
    );
    let out = p.ok(&["build"]);
    assert!(
        out.stderr.contains("site/stories/tiny.md:6:8: warning: /images/tiny.jpg (120×80) is too small for a share card: the page is shared with a generated card instead"),
        "{}",
        out.stderr
    );
    let html = p.read("public/stories/tiny/index.html");
    let og = meta(&html, "og:image").unwrap();
    assert!(
        og.contains("/media/card-tiny-") && og.ends_with(".png"),
        "{og}"
    );
    assert_eq!(meta(&html, "og:image:width"), Some("1200"));
    // The page itself still shows the picture.
    assert!(html.contains("/media/tiny-120x80-"), "{html}");
}

/// QA s5 Q59: a transparent PNG's share card (a JPEG) is laid on white, not black.
#[test]
fn a_transparent_lead_image_gets_a_share_card_on_white() {
    let p = Project::fixture("basic");
    let img = image::RgbaImage::from_fn(1600, 1000, |x, _| {
        if x < 800 {
            image::Rgba([0, 0, 0, 0])
        } else {
            image::Rgba([10, 20, 120, 255])
        }
    });
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    p.write_bytes("site/static/images/logo.png", &png);
    p.write(
        "site/stories/logo.md",
        &format!("{STORY}image: /images/logo.png\nimage_alt: Our logo\n---\nText.\n"),
    );
    p.ok(&["build"]);
    let html = p.read("public/stories/logo/index.html");
    let og = meta(&html, "og:image").unwrap();
    let file = og.split("/media/").nth(1).unwrap();
    assert!(file.ends_with(".jpg"), "{og}");
    let card =
        image::load_from_memory(&std::fs::read(p.path(&format!("public/media/{file}"))).unwrap())
            .unwrap()
            .into_rgb8();
    let [r, g, b] = card.get_pixel(10, 300).0;
    assert!(
        r > 240 && g > 240 && b > 240,
        "the transparent half is {r},{g},{b}"
    );
}

/// A picture `w`×`h`, left half `left` and right half `right` (code values as stored), with
/// an embedded ICC profile when given: a JPEG, or a PNG with an alpha channel.
fn tagged(w: u32, h: u32, left: [u8; 3], right: [u8; 3], icc: Option<&[u8]>, png: bool) -> Vec<u8> {
    use image::ImageEncoder;
    let mut out = Vec::new();
    let px = |x: u32| if x < w / 2 { left } else { right };
    if png {
        let img = image::RgbaImage::from_fn(w, h, |x, _| {
            let [r, g, b] = px(x);
            image::Rgba([r, g, b, 200])
        });
        let mut enc = image::codecs::png::PngEncoder::new(&mut out);
        if let Some(icc) = icc {
            enc.set_icc_profile(icc.to_vec()).unwrap();
        }
        enc.write_image(&img, w, h, image::ExtendedColorType::Rgba8)
            .unwrap();
    } else {
        let img = image::RgbImage::from_fn(w, h, |x, _| image::Rgb(px(x)));
        let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 95);
        if let Some(icc) = icc {
            enc.set_icc_profile(icc.to_vec()).unwrap();
        }
        enc.write_image(&img, w, h, image::ExtendedColorType::Rgb8)
            .unwrap();
    }
    out
}

/// A CMYK JPEG `w`×`h` as a print shop or Photoshop writes it (Adobe marker, inverted inks; YCCK
/// when `ycck`), left half `left`, right half `right` (inks, 0 = none), with the tests' CMYK
/// profile (tests/fixtures/images/make-test-cmyk-icc.py).
fn cmyk(w: u16, h: u16, left: [u8; 4], right: [u8; 4], ycck: bool) -> Vec<u8> {
    let px: Vec<u8> = (0..h)
        .flat_map(|_| (0..w).flat_map(|x| if x < w / 2 { left } else { right }))
        .collect();
    let mut out = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut out, 95);
    enc.add_icc_profile(include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/images/test-cmyk.icc"
    )))
    .unwrap();
    let kind = if ycck {
        jpeg_encoder::ColorType::CmykAsYcck
    } else {
        jpeg_encoder::ColorType::Cmyk
    };
    enc.encode(&px, w, h, kind).unwrap();
    out
}

/// An ICC profile as cameras and phones embed them (v4, matrix and curves), written by the
/// colour engine; the expected colours below come from LittleCMS.
fn icc(profile: moxcms::ColorProfile) -> Vec<u8> {
    let mut p = profile;
    p.cicp = None;
    p.encode().unwrap()
}

/// QA s6 Q94 (issue 13): a photo in Display P3 (an iPhone's) or in Adobe RGB has its colours
/// converted to sRGB in every output (every ladder width, WebP and JPEG, the thumbnails, the
/// share card and the upright copy at its own path, a transparent PNG too), deterministically;
/// untagged and sRGB-tagged photos come out as before; a cache recorded before the conversion
/// is not trusted for the photo's colour. A CMYK or YCCK JPEG (a print shop's, a Photoshop
/// export) is converted through its CMYK profile (issue 13: it came out in the plain
/// conversion's colours, pure (0, 255, 255) for the press's cyan).
#[test]
fn a_photo_in_display_p3_adobe_rgb_or_cmyk_is_converted_to_srgb_in_every_output() {
    let p = Project::fixture("basic");
    let (green, orange) = ([40, 200, 60], [200, 100, 50]);
    let p3 = icc(moxcms::ColorProfile::new_display_p3());
    let adobe = icc(moxcms::ColorProfile::new_adobe_rgb());
    let srgb = icc(moxcms::ColorProfile::new_srgb());
    let files: [(&str, Option<&[u8]>, bool); 5] = [
        ("iphone-p3.jpg", Some(&p3), false),
        ("camera-adobe.jpg", Some(&adobe), false),
        ("logo-p3.png", Some(&p3), true),
        ("untagged.jpg", None, false),
        ("tagged-srgb.jpg", Some(&srgb), false),
    ];
    // Small pictures (two ladder widths; the lead wide enough for its own share card), so
    // that three builds stay cheap.
    for (name, icc, png) in files {
        let (w, h) = if png { (300, 200) } else { (760, 420) };
        p.write_bytes(
            &format!("site/static/images/{name}"),
            &tagged(w, h, green, orange, icc, png),
        );
    }
    let (cyan, magenta) = ([255, 0, 0, 0], [0, 255, 0, 0]);
    p.write_bytes(
        "site/static/images/print-cmyk.jpg",
        &cmyk(760, 420, cyan, magenta, false),
    );
    p.write_bytes(
        "site/static/images/photoshop-ycck.jpg",
        &cmyk(760, 420, cyan, magenta, true),
    );
    for name in files
        .iter()
        .map(|f| f.0)
        .chain(["print-cmyk.jpg", "photoshop-ycck.jpg"])
    {
        // Older than the cache's two-second "racy" window (a photo changed that recently is
        // not recorded), so the record below has every source whatever the machine's speed.
        set_mtime(
            &p.path(&format!("site/static/images/{name}")),
            std::time::SystemTime::now() - std::time::Duration::from_secs(60),
        );
    }
    p.write(
        "site/stories/photo.md",
        &format!(
            "{STORY}image: /images/iphone-p3.jpg\nimage_alt: A team photo\n---\nText.\n\n![Adobe](/images/camera-adobe.jpg)\n\n![Logo](/images/logo-p3.png)\n\n![Plain](/images/untagged.jpg)\n\n![Tagged](/images/tagged-srgb.jpg)\n\n![Print](/images/print-cmyk.jpg)\n\n![Photoshop](/images/photoshop-ycck.jpg)\n"
        ),
    );
    let cache = p.path("cache");
    let env = [("LMP_CACHE_DIR", cache.to_str().unwrap())];
    p.ok_env(&["build"], &env);
    let first = p.snapshot_dir("public");
    // Every output of a source: its ladder, thumbnails and share card, and its own path.
    let outputs = |stem: &str, own: &str| -> Vec<(String, Vec<u8>)> {
        let v: Vec<_> = first
            .iter()
            .filter(|(k, _)| k.starts_with(&format!("media/{stem}-")) || k == own)
            .cloned()
            .collect();
        assert!(
            v.len() >= 3,
            "{stem}: {:?}",
            v.iter().map(|f| &f.0).collect::<Vec<_>>()
        );
        v
    };
    let check = |stem: &str, own: &str, want: [[u8; 3]; 2], what: &str| {
        for (name, bytes) in outputs(stem, own) {
            assert!(
                !bytes.windows(11).any(|w| w == b"ICC_PROFILE")
                    && !bytes.windows(4).any(|w| w == b"iCCP" || w == b"ICCP"),
                "{name} carries a colour profile"
            );
            let img = decode(&bytes).to_rgb8();
            let (w, h) = img.dimensions();
            for (x, want) in [(w / 4, want[0]), (w * 3 / 4, want[1])] {
                let got = img.get_pixel(x, h / 2).0;
                assert!(
                    got.iter().zip(want).all(|(a, b)| a.abs_diff(b) <= 8),
                    "{what}: {name} at x={x}: got {got:?}, want {want:?}"
                );
            }
        }
    };
    // LittleCMS (relative colorimetric): P3 (40,200,60) → sRGB (0,204,12), (200,100,50) →
    // (215,93,31); Adobe RGB (40,200,60) → (0,201,37), (200,100,50) → (227,100,42).
    check(
        "iphone-p3",
        "images/iphone-p3.jpg",
        [[0, 204, 12], [215, 93, 31]],
        "Display P3",
    );
    check(
        "camera-adobe",
        "images/camera-adobe.jpg",
        [[0, 201, 37], [227, 100, 42]],
        "Adobe RGB",
    );
    // LittleCMS (perceptual) on the tests' CMYK profile: cyan ink → (38,160,226), magenta →
    // (231,49,149); the plain conversion gave (0,255,255) and (255,0,255).
    check(
        "print-cmyk",
        "images/print-cmyk.jpg",
        [[38, 160, 226], [231, 49, 149]],
        "CMYK",
    );
    check(
        "photoshop-ycck",
        "images/photoshop-ycck.jpg",
        [[38, 160, 226], [231, 49, 149]],
        "YCCK",
    );
    check(
        "untagged",
        "images/untagged.jpg",
        [green, orange],
        "untagged",
    );
    check(
        "tagged-srgb",
        "images/tagged-srgb.jpg",
        [green, orange],
        "sRGB-tagged",
    );
    // The transparent PNG: its WebP and PNG outputs, on the alpha it has.
    for (name, bytes) in outputs("logo-p3", "images/logo-p3.png") {
        let img = decode(&bytes).to_rgba8();
        let (w, h) = img.dimensions();
        let got = img.get_pixel(w / 4, h / 2).0;
        assert!(
            got[1].abs_diff(204) <= 8 && got[2].abs_diff(12) <= 8 && got[3].abs_diff(200) <= 8,
            "{name}: {got:?}"
        );
    }
    // The share card of the P3 lead photo is converted too.
    let html = p.read("public/stories/photo/index.html");
    let og = attr(&html, "<meta property=\"og:image\"", "content").unwrap();
    assert!(og.contains("/media/iphone-p3-760x399-"), "{og}");
    assert!(
        first
            .iter()
            .any(|(k, _)| k.starts_with("media/iphone-p3-400x225-")),
        "the lead's thumbnails are among the outputs checked"
    );
    // An sRGB profile changes nothing: the same outputs as the untagged photo's, byte for byte.
    let bytes_of = |stem: &str, own: &str| {
        let mut v: Vec<Vec<u8>> = outputs(stem, own).into_iter().map(|f| f.1).collect();
        v.sort();
        v
    };
    assert!(
        bytes_of("untagged", "images/untagged.jpg")
            == bytes_of("tagged-srgb", "images/tagged-srgb.jpg"),
        "an sRGB-tagged photo came out differently from an untagged one"
    );

    // A cache recorded before colours were converted (its source lines without the profile's
    // tag) is read again: the warm build gives the cold build's bytes and names.
    let record = cache.join("images/record.v1");
    let text = std::fs::read_to_string(&record).unwrap();
    let old: String = text
        .lines()
        .map(|l| match l.split(' ').nth(5) {
            Some(raster) if l.starts_with("S ") && raster.matches(':').count() == 5 => {
                let cut = raster.rsplit_once(':').unwrap().0;
                l.replacen(raster, cut, 1) + "\n"
            }
            _ => format!("{l}\n"),
        })
        .collect();
    assert!(
        old != text,
        "the record has source lines with a colour tag:\n{text}"
    );
    std::fs::write(&record, old).unwrap();
    std::fs::remove_dir_all(p.path("public")).unwrap();
    p.ok_env(&["build"], &env);
    assert!(
        first == p.snapshot_dir("public"),
        "a warm build from an older record differs"
    );
    // Two cold builds are byte-identical.
    std::fs::remove_dir_all(p.path("public")).unwrap();
    let other = p.path("cache-2");
    p.ok_env(&["build"], &[("LMP_CACHE_DIR", other.to_str().unwrap())]);
    assert!(first == p.snapshot_dir("public"), "two cold builds differ");
}

/// QA s7 Q99: a picture lmp cannot re-encode (a phone's HEIC, a scanned TIFF, a JPEG cut short
/// by an interrupted upload) is published byte for byte with its metadata: a warning at the
/// file says so, in `build` and in `check`. Other files (a PDF) and pictures lmp re-encodes get
/// none.
#[test]
fn a_picture_published_as_it_is_with_its_metadata_is_a_warning() {
    let p = Project::fixture("basic");
    let mut heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
    heic.extend(b"Exif\0\0MM\0*GPS 37N 122W iPhone 15 Pro");
    let mut tiff = b"MM\0*\0\0\0\x08".to_vec();
    tiff.extend(b"Artist: Jane Photographer");
    let whole = jpeg(300, 200);
    p.write_bytes("site/static/images/IMG_2041.heic", &heic)
        .write_bytes("site/static/images/scan.tif", &tiff)
        .write_bytes(
            "site/static/images/gps-trunc.jpg",
            &whole[..whole.len() / 2],
        )
        .write_bytes("site/static/images/fine.jpg", &whole)
        .write_bytes("site/static/files/report.pdf", b"%PDF-1.4\n%%EOF\n");
    for cmd in ["build", "check"] {
        let o = p.ok(&[cmd]);
        let e = &o.stderr;
        for f in ["IMG_2041.heic", "scan.tif"] {
            let line = format!(
                "site/static/images/{f}: warning: this picture is published as it is, with any GPS position, camera serial or author name it holds: lmp cannot re-encode it"
            );
            assert!(e.contains(&line), "{cmd}: missing `{line}` in:\n{e}");
        }
        assert!(e.contains("help: export it as a JPEG or PNG"), "{e}");
        // A JPEG cut short is not told to be exported as a JPEG (QA s13).
        assert!(
            e.contains("site/static/images/gps-trunc.jpg: warning: this picture is published as it is, broken: the file is cut short"),
            "{cmd}: {e}"
        );
        assert_eq!(e.matches("published as it is").count(), 3, "{cmd}: {e}");
        assert_eq!(e.matches("export it as a JPEG").count(), 2, "{cmd}: {e}");
    }
    assert_eq!(
        std::fs::read(p.path("public/images/IMG_2041.heic")).unwrap(),
        heic,
        "still published: a page may link to it"
    );
}

/// QA s13: a picture cut short (an interrupted upload) that a page shows was an error at the
/// page AND a warning at the file telling the author to export it as a JPEG (which it is).
/// Now the page's error alone, however the page writes the picture's path (site address,
/// relative, percent-encoded); a picture cut short that no page shows is a warning telling to
/// copy it again.
#[test]
fn a_picture_cut_short_is_one_message_that_says_to_copy_it_again() {
    let p = Project::fixture("basic");
    let whole = jpeg(300, 200);
    let cut = &whole[..whole.len() / 2];
    p.write_bytes("site/static/images/lead-cut.jpg", cut)
        .write_bytes("site/static/images/body cut.jpg", cut)
        .write_bytes("site/static/images/relative-cut.jpg", cut)
        .write_bytes("site/static/images/unused-cut.jpg", cut)
        .write(
            "site/stories/x.md",
            &format!(
                "{STORY}image: /images/lead-cut.jpg\nimage_alt: A team\n---\nText.\n\n![A chart](/images/body%20cut.jpg)\n\n![A room](../static/images/relative-cut.jpg)\n"
            ),
        );
    for cmd in ["check", "build"] {
        let o = p.run(&[cmd]);
        assert_eq!(o.code, 1, "{cmd}: {}", o.stderr);
        let e = &o.stderr;
        for expected in [
            "site/stories/x.md:6:8: error: `image`: /images/lead-cut.jpg is not an image: the file is cut short",
            "site/stories/x.md:11:1: error: /images/body%20cut.jpg is not an image: the file is cut short",
            "site/stories/x.md:13:1: error: ../static/images/relative-cut.jpg is not an image: the file is cut short",
            "site/static/images/unused-cut.jpg: warning: this picture is published as it is, broken: the file is cut short",
        ] {
            assert!(e.contains(expected), "{cmd}: missing {expected:?} in\n{e}");
        }
        assert_eq!(
            e.matches("copy it again from the original").count(),
            4,
            "{cmd}: {e}"
        );
        assert_eq!(e.matches("published as it is").count(), 1, "{cmd}: {e}");
        assert!(!e.contains("export it as a JPEG"), "{cmd}: {e}");
    }
}

/// QA s7 Q106: a first build that encodes images printed nothing for minutes (an author then
/// presses Ctrl-C). On a terminal it shows one progress line, ended with its count; a warm
/// build, `--quiet` and a stderr that is not a terminal (CI logs) show none.
#[test]
fn a_build_that_makes_images_shows_one_progress_line_on_a_terminal_only() {
    let p = Project::fixture("basic");
    // Pictures no other test or run has (the tests share one image cache): only they are
    // encoded. Their first row holds the time, the process and their number.
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
        ^ (u128::from(std::process::id()) << 64);
    for (i, name) in ["a.jpg", "b.jpg", "c.jpg"].iter().enumerate() {
        let mark = (seed ^ (i as u128) << 120).to_le_bytes();
        let img = image::RgbImage::from_fn(700, 400, |x, y| match mark.get(x as usize / 8) {
            Some(&b) if y < 8 => image::Rgb([b, b, b]),
            _ => image::Rgb([90, (x / 3) as u8, (y / 2) as u8]),
        });
        let mut out = Vec::new();
        img.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
            &mut out, 85,
        ))
        .unwrap();
        p.write_bytes(&format!("site/static/images/{name}"), &out);
    }
    p.write(
        "site/stories/photos.md",
        &format!("{STORY}---\nText.\n\n![A](/images/a.jpg)\n\n![B](/images/b.jpg)\n"),
    );
    // `script` runs lmp on a pseudo-terminal and copies what it prints to its stdout.
    let tty = |args: &str| -> String {
        let out = std::process::Command::new("script")
            .args([
                "-qec",
                &format!("'{}' {args}", env!("CARGO_BIN_EXE_lmp")),
                "/dev/null",
            ])
            .current_dir(p.dir.path())
            .env_remove("LMP_LOG")
            .env("LMP_CACHE_DIR", crate::harness::image_cache())
            .output()
            .expect("running script (util-linux)");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let cold = tty("build --out out1");
    assert!(cold.contains("Built "), "{cold}");
    // The line as it was ended: its count of files made (three pictures, two widths and two
    // formats each) and where they are kept.
    let line = cold
        .split('\n')
        .filter_map(|l| l.trim_end_matches('\r').rsplit('\r').next())
        .find(|l| l.starts_with("Making images: "))
        .unwrap_or_else(|| panic!("no progress line ended:\n{cold:?}"));
    let made: usize = line["Making images: ".len()..]
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(made >= 12, "{line}");
    assert!(
        line.contains(" files in ")
            && line.contains(" s (once: later builds reuse ")
            && line.ends_with("lmp-image-cache/images)"),
        "{line}"
    );
    // Warm: nothing is made, nothing is said.
    let warm = tty("build --out out2");
    assert!(warm.contains("Built "), "{warm}");
    assert!(!warm.contains("Making images"), "{warm}");
    // `--quiet`: nothing, though it encodes (a picture of its own).
    // A new picture each time: c.jpg's bytes with more after its end (not decoded).
    let renew = |tail: &[u8]| {
        let mut b = std::fs::read(p.path("site/static/images/c.jpg")).unwrap();
        b.extend(tail);
        p.write_bytes("site/static/images/c.jpg", &b);
    };
    renew(b"quiet");
    p.write(
        "site/stories/photos.md",
        &format!("{STORY}---\nText.\n\n![C](/images/c.jpg)\n"),
    );
    let quiet = tty("build --quiet --out out3");
    assert!(!quiet.contains("Making images"), "{quiet}");
    // Not a terminal (CI logs, pipes): nothing, though it encodes.
    renew(b"pipe");
    let piped = p.ok(&["build", "--out", "out4"]);
    assert!(!piped.stderr.contains("Making images"), "{}", piped.stderr);
}

/// File names from a Mac (or a zip or git checkout made on one) are decomposed: `niño` is `n`,
/// `o`... with U+0303 after the `n`. A link typed composed (`ñ`, as every keyboard writes it)
/// must find such a picture or file, a link pasted decomposed must find a composed file, and
/// the site publishes one composed name that both links reach.
#[test]
fn image_and_file_names_decomposed_on_a_mac_resolve_from_composed_links() {
    let p = Project::fixture("basic");
    let nfd = "nin\u{303}o-resen\u{303}a";
    let nfc = "ni\u{f1}o-rese\u{f1}a";
    p.write_bytes(&format!("site/static/images/{nfd}.png"), &png(64, 48));
    p.write_bytes(&format!("site/static/images/lead-{nfd}.png"), &png(64, 48));
    p.write(&format!("site/static/files/{nfd}.txt"), "La reseña");
    p.write(&format!("site/static/files/carta-{nfc}.txt"), "Una carta");
    p.write(
        "site/stories/photo.md",
        &format!(
            "{STORY}image: /images/lead-{nfd}.png\nimage_alt: Un niño\n---\n\
             ![Un niño](/images/{nfc}.png)\n\n[La reseña](/files/{nfc}.txt) y [la carta](/files/carta-{nfd}.txt).\n"
        ),
    );
    p.ok(&["check"]);
    p.ok(&["build"]);
    assert!(p.exists(&format!("public/images/{nfc}.png")));
    assert!(p.exists(&format!("public/files/{nfc}.txt")));
    assert!(p.exists(&format!("public/files/carta-{nfc}.txt")));
    let html = p.read("public/stories/photo/index.html");
    assert!(
        !html.contains('\u{303}'),
        "a decomposed name is written: {html}"
    );
    assert!(
        html.contains(&format!(
            "href=\"/files/carta-{}.txt\"",
            "ni%C3%B1o-rese%C3%B1a"
        )) || html.contains(&format!("href=\"/files/carta-{nfc}.txt\"")),
        "{html}"
    );
}

/// QA s9 Q126: a long infographic (1200×18000) passed `lmp check` and failed `lmp build` with
/// "is not an image: WebP encoding failed: VP8_ENC_ERROR_BAD_DIMENSION" (WebP's sides stop at
/// 16,383 px). It builds: its WebP rungs stop at the widest that fits, its JPEG fallback keeps
/// every width; a strip too narrow for a sharp WebP is published in its fallback only.
#[test]
fn a_picture_taller_than_webp_allows_builds_and_check_agrees() {
    let p = Project::fixture("basic");
    // Flat colour: a few kB of PNG for 21.6 megapixels.
    p.write_bytes("site/static/images/infographic.png", &png(1200, 18000));
    p.write_bytes("site/static/images/strip.png", &png(2, 20000));
    p.write(
        "site/stories/tall.md",
        &format!(
            "{STORY}---\nText.\n\n![Our year in numbers](/images/infographic.png)\n\n![A thin line](/images/strip.png)\n"
        ),
    );
    for (args, what) in [(&["check"][..], "check"), (&["build"][..], "build")] {
        let out = p.run(args);
        assert_eq!(out.code, 0, "{what}: {}", out.stderr);
        assert!(
            !out.stderr.contains("not an image"),
            "{what}: {}",
            out.stderr
        );
        assert!(!out.stderr.contains("re-encode"), "{what}: {}", out.stderr);
    }
    let html = p.read("public/stories/tall/index.html");
    let i = html.find("Our year in numbers").unwrap();
    let pic = &html[html[..i].rfind("<picture>").unwrap()..i + html[i..].find('>').unwrap() + 1];
    let webp = attr(pic, "<source type=\"image/webp\"", "srcset").unwrap();
    assert!(webp.ends_with(" 1092w"), "{webp}");
    let jpg = attr(pic, "<img", "srcset").unwrap();
    assert!(jpg.ends_with(".jpg 1200w"), "{jpg}");
    assert_eq!(attr(pic, "<img", "height"), Some("18000"), "{pic}");
    // The strip: no WebP source (a 1-px-wide WebP would be what browsers pick).
    let j = html.find("A thin line").unwrap();
    let tag = &html[html[..j].rfind('<').unwrap()..j];
    assert!(tag.starts_with("<img"), "{tag}");
    // Every published WebP is within WebP's limit, and decodes; the source's own path is there.
    let mut webps = 0;
    for e in std::fs::read_dir(p.path("public/media")).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|x| x == "webp") {
            let (w, h) = image::ImageReader::open(&path)
                .unwrap()
                .with_guessed_format()
                .unwrap()
                .into_dimensions()
                .unwrap();
            assert!(w <= 16_383 && h <= 16_383, "{path:?} {w}×{h}");
            webps += 1;
        }
    }
    assert!(webps >= 3, "{webps} WebP files");
    let own = decode(&std::fs::read(p.path("public/images/infographic.png")).unwrap());
    assert_eq!((own.width(), own.height()), (1200, 18000));
}

/// QA s9 Q129: a picture named `q?.jpg` or `Team #3.jpg` (a phone or camera export name),
/// written percent-encoded in the Markdown, goes through the width ladder like any other (was
/// a bare full-size `<img>` for `q%3F.jpg`, "missing file … static/images/a" for `a%23b.jpg`).
#[test]
fn a_picture_named_with_a_question_mark_or_hash_gets_its_ladder() {
    let p = Project::fixture("basic");
    p.write_bytes("site/static/images/q?.jpg", &jpeg(900, 600));
    p.write_bytes("site/static/images/Team #3.jpg", &jpeg(900, 600));
    p.write(
        "site/stories/odd.md",
        &format!(
            "{STORY}---\nText.\n\n![Question](/images/q%3F.jpg)\n\n![Team three](/images/Team%20%233.jpg)\n\n![Relative](../static/images/Team%20%233.jpg)\n"
        ),
    );
    let out = p.run(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let html = p.read("public/stories/odd/index.html");
    for alt in ["Question", "Team three", "Relative"] {
        let i = html
            .find(&format!("alt=\"{alt}\""))
            .unwrap_or_else(|| panic!("{alt}: {html}"));
        let open = html[..i].rfind("<picture>").unwrap_or(0);
        let img = html[..i].rfind("<img").unwrap();
        assert!(
            open > 0 && html[open..img].contains("image/webp"),
            "{alt}: {}",
            &html[img..i]
        );
        let tag = &html[img..=i + html[i..].find('>').unwrap()];
        assert_eq!(attr(tag, "<img", "width"), Some("900"), "{alt}: {tag}");
        assert!(
            attr(tag, "<img", "srcset").unwrap().contains("/media/"),
            "{alt}: {tag}"
        );
    }
    // The source's own path is published too.
    assert!(p.exists("public/images/q?.jpg"));
    assert!(p.exists("public/images/Team #3.jpg"));
}
