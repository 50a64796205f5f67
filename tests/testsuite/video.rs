//! Videos: a hosted file plays in `<video>` with its poster (through the image pipeline) and
//! WebVTT captions; YouTube and Vimeo sit behind a click-to-load facade (a local poster and a
//! real link, no third-party request in the page); every video check has a failing input.

use crate::harness::Project;

const VIDEO: &str = "---\ntitle: Huddle tour\ndate: 2020-01-01\nsummary: A short tour.\ntranscript: |\n  The words spoken in the video.\n";

/// The smallest bytes lmp takes for a whole MP4 file: an `ftyp` box, then a `moov` box (the
/// index a player needs; empty here).
const MP4: &[u8] = b"\0\0\0\x18ftypisom\0\0\x02\0isomiso2\0\0\0\x08moov";

const VTT: &str =
    "WEBVTT\n\n00:00.000 --> 00:02.000\nHello, team.\n\n00:02.000 --> 00:04.500\nLet's huddle.\n";

fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb([30, 90, 160]));
    let mut out = Vec::new();
    img.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
        &mut out, 85,
    ))
    .unwrap();
    out
}

/// The part of `html` from `start` to the end of the element's first `end` after it.
fn section<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in {html}"));
    let j = html[i..]
        .find(end)
        .map(|j| i + j + end.len())
        .unwrap_or(html.len());
    &html[i..j]
}

fn project() -> Project {
    let p = Project::fixture("basic");
    p.write_bytes("site/static/videos/tour.mp4", MP4);
    p.write("site/static/captions/tour.vtt", VTT);
    p.write_bytes("site/static/images/poster.jpg", &jpeg(1280, 720));
    p
}

#[test]
fn a_hosted_video_plays_with_its_poster_and_captions_and_the_transcript() {
    let p = project();
    p.write(
        "site/videos/tour.md",
        &format!("{VIDEO}src: /videos/tour.mp4\ncaptions: /captions/tour.vtt\nimage: /images/poster.jpg\nimage_alt: \"\"\n---\nBody.\n"),
    );
    p.write(
        "site/stories/watch.md",
        "---\ntitle: Watch it\ndate: 2020-01-02\nsummary: S.\ntopics: [ubt-basics]\n---\nText.\n\n```{video}\nsrc: tour\n```\n",
    );
    let out = p.ok(&["build"]);
    assert!(!out.stderr.contains("error"), "{}", out.stderr);
    let html = p.read("public/videos/tour/index.html");
    let player = section(&html, "<video", "</video>");
    assert!(
        player.starts_with("<video controls preload=\"none\" poster=\"/media/poster-800x450-"),
        "{player}"
    );
    assert!(
        player.contains("<source src=\"/videos/tour.mp4\" type=\"video/mp4\">"),
        "{player}"
    );
    assert!(
        player.contains("<track kind=\"captions\" src=\"/captions/tour.vtt\" srclang=\"en\" label=\"Captions\" default>"),
        "{player}"
    );
    assert!(player.contains("<a href=\"/videos/tour.mp4\">Download the video</a>"));
    assert!(
        html.contains("The words spoken in the video."),
        "the transcript is on the page"
    );
    // The poster went through the image pipeline: the file exists, re-encoded.
    let poster = player
        .split("poster=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(p.exists(&format!("public{poster}")), "{poster}");
    // s23: the poster is the WebP at the fallback's width (`<video poster>` takes one address
    // and no `srcset`; the JPEG cost a reader on metered data twice the bytes on every visit).
    assert!(poster.ends_with(".webp"), "{poster}");
    let jpeg = std::fs::read_dir(p.path("public/media"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|f| {
            f.to_string_lossy().contains("/poster-800x450-")
                && f.extension().is_some_and(|x| x == "jpg")
        })
        .expect("the JPEG fallback at 800 px");
    let (webp_bytes, jpeg_bytes) = (
        std::fs::metadata(p.path(&format!("public{poster}")))
            .unwrap()
            .len(),
        std::fs::metadata(&jpeg).unwrap().len(),
    );
    assert!(
        webp_bytes < jpeg_bytes,
        "{poster} {webp_bytes} B, {} {jpeg_bytes} B",
        jpeg.display()
    );
    // The same video in a story: the player with its captions, and a link to the page.
    let story = p.read("public/stories/watch/index.html");
    let fig = section(&story, "<figure class=\"component-video\">", "</figure>");
    assert!(
        fig.contains("<source src=\"/videos/tour.mp4\" type=\"video/mp4\">"),
        "{fig}"
    );
    assert!(
        fig.contains("<track kind=\"captions\" src=\"/captions/tour.vtt\""),
        "{fig}"
    );
    assert!(
        fig.contains(&format!("poster=\"{poster}\"")),
        "the page's WebP poster: {fig}"
    );
    assert!(
        fig.contains("href=\"/videos/tour/\">page and transcript</a>"),
        "{fig}"
    );
}

#[test]
fn youtube_and_vimeo_sit_behind_a_facade_that_works_without_javascript() {
    let p = project();
    p.write(
        "site/videos/tour.md",
        &format!("{VIDEO}embed: https://youtu.be/abcDEF_1234\ncaptions: /captions/tour.vtt\nimage: /images/poster.jpg\nimage_alt: \"\"\n---\nBody.\n"),
    );
    p.write(
        "site/stories/watch.md",
        "---\ntitle: Watch it\ndate: 2020-01-02\nsummary: S.\ntopics: [ubt-basics]\n---\nText.\n\n```{video}\nsrc: https://vimeo.com/76979871\ntitle: The Vimeo one\n```\n\n```{video}\nsrc: https://vimeo.com/showcase/11223344/video/76979872\ntitle: In a showcase\n```\n",
    );
    p.ok(&["build"]);
    let html = p.read("public/videos/tour/index.html");
    let facade = section(&html, "<div class=\"player player-facade\"", "</div>");
    // No player in the page: only a link to the video, a local poster and the player's
    // address for the script, which loads it after a click.
    assert!(!html.contains("<iframe"), "no iframe before the click");
    assert!(
        facade.contains(
            "data-player=\"https://www.youtube-nocookie.com/embed/abcDEF_1234?autoplay=1&amp;rel=0\""
        ),
        "{facade}"
    );
    assert!(
        facade
            .contains("<a class=\"facade\" href=\"https://www.youtube.com/watch?v=abcDEF_1234\">"),
        "{facade}"
    );
    assert!(
        facade.contains("Play “Huddle tour”<span class=\"facade-where\"> on YouTube</span>"),
        "{facade}"
    );
    assert!(
        facade.contains("src=\"/media/poster-"),
        "a local poster: {facade}"
    );
    for tag in facade.split('<').skip(1) {
        let local = !tag.contains("src=\"http") && !tag.contains("srcset=\"http");
        assert!(
            local,
            "nothing in the facade is fetched from another site: <{tag}"
        );
    }
    assert!(p.exists("public/js/video.js"));
    // The captions are not dropped: the file is linked.
    assert!(
        html.contains("<a href=\"/captions/tour.vtt\">Captions of this video (WebVTT file)</a>"),
        "{html}"
    );
    // Vimeo in a story: do-not-track player, named by the component's title.
    let story = p.read("public/stories/watch/index.html");
    assert!(
        story.contains(
            "data-player=\"https://player.vimeo.com/video/76979871?dnt=1&amp;autoplay=1\""
        ),
        "{story}"
    );
    assert!(story.contains("<a class=\"facade\" href=\"https://vimeo.com/76979871\">"));
    assert!(story.contains("Play “The Vimeo one”<span class=\"facade-where\"> on Vimeo</span>"));
    // A video inside a showcase: its own id.
    assert!(
        story.contains(
            "data-player=\"https://player.vimeo.com/video/76979872?dnt=1&amp;autoplay=1\""
        ),
        "{story}"
    );
    assert!(!story.contains("<iframe"));
}

#[test]
fn every_video_check_has_a_failing_input() {
    let p = project();
    p.write(
        "site/static/captions/srt.vtt",
        "1\n00:00:01,000 --> 00:00:02,000\nAn SRT file.\n",
    );
    p.write(
        "site/static/captions/bad.vtt",
        "WEBVTT\n\n00:00:01.000 --> 00:00:02,000\nA comma.\n\n00:05.000 --> 00:04.000\nBackwards.\n",
    );
    p.write_bytes("site/static/videos/fake.mp4", b"%PDF-1.4 not a video");
    p.write(
        "site/videos/youtube-in-src.md",
        &format!("{VIDEO}src: https://www.youtube.com/watch?v=abcDEF_1234\n---\n"),
    );
    p.write(
        "site/videos/both.md",
        &format!("{VIDEO}src: /videos/tour.mp4\nembed: https://vimeo.com/123\n---\n"),
    );
    p.write(
        "site/videos/not-a-service.md",
        &format!("{VIDEO}embed: https://example.org/video\n---\n"),
    );
    p.write(
        "site/videos/fake.md",
        &format!("{VIDEO}src: /videos/fake.mp4\n---\n"),
    );
    // QA s5 Q48: a YouTube id that is not 11 letters, digits, `-` or `_` (one character lost in
    // a copy) plays nothing: an error, in a video page and in a `{video}`.
    p.write(
        "site/videos/short-id.md",
        &format!("{VIDEO}embed: https://www.youtube.com/watch?v=abcDEF_123\n---\n"),
    );
    p.write(
        "site/stories/short-id.md",
        "---\ntitle: S\ndate: 2020-01-02\nsummary: S.\ntopics: [ubt-basics]\n---\nText.\n\n```{video}\nsrc: https://youtu.be/abc?t=3\ntitle: Short\n```\n\n```{video}\nsrc: dQw4w9WgXcQ\ntitle: Bare\n```\n",
    );
    // QA s7 Q110: an iPhone's HEVC video plays in Safari only. (An MP4 with its `moov` after
    // the media data, as a phone writes it; only the sample entry's code matters.)
    let boxed = |kind: &[u8], body: &[u8]| {
        let mut b = ((body.len() + 8) as u32).to_be_bytes().to_vec();
        b.extend(kind);
        b.extend(body);
        b
    };
    let mut stsd = vec![0, 0, 0, 0, 0, 0, 0, 1];
    stsd.extend(boxed(b"hvc1", &[0; 78]));
    let mut hevc = boxed(b"ftyp", b"isom\0\0\x02\0isomiso2");
    hevc.extend(boxed(b"mdat", &[7; 3000]));
    hevc.extend(boxed(b"moov", &boxed(b"trak", &boxed(b"stsd", &stsd))));
    p.write_bytes("site/static/videos/iphone.mp4", &hevc);
    p.write(
        "site/videos/iphone.md",
        &format!("{VIDEO}src: /videos/iphone.mp4\ncaptions: /captions/tour.vtt\n---\n"),
    );
    // ... and in a `{video}` of a story (QA's repro), with captions: warned at its `src:` line;
    // a second `{video}` of the same file in the same story is not warned again.
    p.write(
        "site/stories/iphone-clip.md",
        "---\ntitle: The iPhone clip\ndate: 2020-01-02\nsummary: S.\ntopics: [ubt-basics]\n---\nText.\n\n```{video}\ntitle: Our team\nsrc: /videos/iphone.mp4\ncaptions: /captions/tour.vtt\n```\n\n```{video}\nsrc: /videos/iphone.mp4\ncaptions: /captions/tour.vtt\n```\n\n```{video}\nsrc: /videos/tour.mp4\ncaptions: /captions/tour.vtt\n```\n",
    );
    // A Vimeo showcase names no single video (a video inside one does: see the facade test).
    p.write(
        "site/videos/showcase.md",
        &format!("{VIDEO}embed: https://vimeo.com/showcase/11223344\n---\n"),
    );
    p.write(
        "site/stories/showcase.md",
        "---\ntitle: S\ndate: 2020-01-02\nsummary: S.\ntopics: [ubt-basics]\n---\nText.\n\n```{video}\nsrc: https://vimeo.com/channels/staffpicks\ntitle: A channel\n```\n",
    );
    p.write(
        "site/videos/missing.md",
        &format!("{VIDEO}src: /videos/gone.mp4\n---\n"),
    );
    p.write(
        "site/videos/no-captions.md",
        &format!("{VIDEO}src: /videos/tour.mp4\n---\n"),
    );
    p.write(
        "site/videos/srt.md",
        &format!("{VIDEO}src: /videos/tour.mp4\ncaptions: /captions/srt.vtt\n---\n"),
    );
    p.write(
        "site/videos/bad-captions.md",
        &format!("{VIDEO}src: /videos/tour.mp4\ncaptions: /captions/bad.vtt\n---\n"),
    );
    p.write(
        "site/stories/component.md",
        "---\ntitle: C\ndate: 2020-01-02\nsummary: S.\ntopics: [ubt-basics]\n---\nText.\n\n```{video}\nsrc: /videos/tour.mp4\ncaptions: /captions/bad.vtt\n```\n",
    );
    // QA (s4): a YouTube video needs a title; a slug that is no video says so, with the forms.
    p.write(
        "site/stories/untitled.md",
        "---\ntitle: U\ndate: 2020-01-02\nsummary: S.\ntopics: [ubt-basics]\n---\nText.\n\n```{video}\nsrc: https://youtu.be/abc_1234567\n```\n\n```{video}\nsrc: not-a-site-video\n```\n\n```{video}\nsrc: /clips/hello-world.webm\n```\n\n```{video}\nsrc: /videos/fake.mp4\ntitle: Fake\n```\n\n```{video}\nsrc: /videos/tour.mp4\ntitle: No captions\n```\n",
    );
    let before = p.snapshot_dir("site");
    let out = p.fails(&["build"]);
    assert!(!p.exists("public/index.html"), "nothing written");
    assert_eq!(before, p.snapshot_dir("site"));
    let e = &out.stderr;
    let has = |s: &str| assert!(e.contains(s), "missing `{s}` in:\n{e}");
    has(
        "site/videos/youtube-in-src.md:7:6: error: `src`: `https://www.youtube.com/watch?v=abcDEF_1234` is a YouTube or Vimeo address, not a file of the site",
    );
    has("put a YouTube or Vimeo address in `embed:` instead");
    has("site/videos/both.md:8:8: error: a video has `src` and `embed`: use one");
    has(
        "site/videos/not-a-service.md:7:8: error: `https://example.org/video` is not a YouTube or Vimeo video address",
    );
    has("site/videos/fake.md:7:6: error: /videos/fake.mp4 is not an MP4 or WebM video");
    has("site/videos/missing.md:7:6: error: the file /videos/gone.mp4 does not exist");
    has(
        "site/static/captions/srt.vtt:1:1: error: not a WebVTT file: the first line must be `WEBVTT`",
    );
    has("site/videos/srt.md:8:11: error: /captions/srt.vtt is not a valid WebVTT captions file");
    has("site/videos/no-captions.md:7:6: warning: the video /videos/tour.mp4 has no captions");
    has("readers who cannot hear the sound need them");
    assert!(
        !e.contains("site/videos/srt.md:7:6: warning"),
        "a video with captions: {e}"
    );
    has("site/static/captions/bad.vtt:3:18: error: `00:00:02,000` is not a WebVTT time");
    has("three digits of milliseconds");
    has(
        "site/static/captions/bad.vtt:6:15: error: the cue ends at 00:00:04.000 but starts at 00:00:05.000",
    );
    has(
        "site/stories/component.md:11:11: error: /captions/bad.vtt is not valid WebVTT: line 3, column 18",
    );
    has("/captions/bad.vtt is not valid WebVTT: line 3, column 18");
    has(
        "site/stories/untitled.md:10:6: error: the YouTube video https://youtu.be/abc_1234567 has no `title`",
    );
    has("add `title: …` saying what the video is");
    has(
        "site/stories/untitled.md:14:6: error: not-a-site-video: no such video in videos/ or file under static/",
    );
    has("use a video of the site by its file name in videos/ (e.g. `src: ");
    has("site/stories/untitled.md:18:6: error: the file /clips/hello-world.webm does not exist");
    has("e.g. `/videos/clip.mp4` for `static/videos/clip.mp4`");
    assert!(!e.contains("handout.pdf"), "{e}");
    has(
        "site/videos/short-id.md:7:8: error: https://www.youtube.com/watch?v=abcDEF_123: `abcDEF_123` is not a YouTube video id: an id is 11 characters, this one has 10",
    );
    has(
        "site/stories/short-id.md:10:6: error: https://youtu.be/abc?t=3: `abc` is not a YouTube video id",
    );
    has("help: copy the address from the browser's address bar on the video's page");
    // QA s6: a bare YouTube id, as YouTube's share box shows it.
    has(
        "site/stories/short-id.md:15:6: error: dQw4w9WgXcQ: no such video in videos/ or file under static/",
    );
    has(
        "help: `dQw4w9WgXcQ` looks like a YouTube video id: write the video's address, `src: https://youtu.be/dQw4w9WgXcQ`",
    );
    has(
        "site/videos/iphone.md:7:6: warning: /videos/iphone.mp4 is HEVC (H.265) video, which Chrome on many computers and Firefox cannot play",
    );
    has("Settings → Camera → Formats → Most Compatible");
    has(
        "site/stories/iphone-clip.md:11:6: warning: /videos/iphone.mp4 is HEVC (H.265) video, which Chrome on many computers and Firefox cannot play",
    );
    assert_eq!(
        e.matches("iphone-clip.md:").count(),
        1,
        "one warning for the story's two {{video}} of one file: {e}"
    );
    assert!(
        !e.contains("tour.mp4 is HEVC"),
        "an H.264 file is not HEVC: {e}"
    );
    has(
        "site/videos/showcase.md:7:8: error: https://vimeo.com/showcase/11223344: a Vimeo showcase (a list of videos), not one video",
    );
    has(
        "site/stories/showcase.md:10:6: error: https://vimeo.com/channels/staffpicks: a Vimeo channel or group, not one video",
    );
    has(
        "help: open the video itself on Vimeo and copy the address from the browser's address bar: `https://vimeo.com/123456789`, or `https://vimeo.com/showcase/…/video/123456789` inside a showcase",
    );
    // QA s5 Q49: the component checks a hosted file like a video page does.
    has("site/stories/untitled.md:22:6: error: /videos/fake.mp4 is not an MP4 or WebM video");
    has("site/stories/untitled.md:27:6: warning: the video /videos/tour.mp4 has no captions");
}

/// QA (s4): `js/video.js` is loaded once per page and only where a facade is (two videos in one
/// story: one script), and never carried into the feed with a story's body.
#[test]
fn the_facade_script_is_loaded_once_per_page_only_where_a_facade_is_and_never_in_the_feed() {
    let p = project();
    p.write(
        "site/videos/tour.md",
        &format!("{VIDEO}embed: https://youtu.be/abcDEF_1234\n---\nBody.\n"),
    );
    p.write(
        "site/videos/hosted.md",
        &format!("{VIDEO}src: /videos/tour.mp4\ncaptions: /captions/tour.vtt\n---\nBody.\n"),
    );
    p.write(
        "site/stories/watch.md",
        "---\ntitle: Watch it\ndate: 2020-01-02\nsummary: S.\ntopics: [ubt-basics]\n---\nText.\n\n```{video}\nsrc: https://vimeo.com/76979871\ntitle: The Vimeo one\n```\n\n```{video}\nsrc: https://youtu.be/xyz_9876543\ntitle: The YouTube one\n```\n",
    );
    p.write(
        "site/stories/plain.md",
        "---\ntitle: Plain\ndate: 2020-01-03\nsummary: S.\ntopics: [ubt-basics]\n---\nNo video here.\n",
    );
    p.ok(&["build"]);
    let count = |page: &str| p.read(page).matches("/js/video.").count();
    assert_eq!(
        count("public/stories/watch/index.html"),
        1,
        "two facades, one script"
    );
    assert_eq!(
        count("public/videos/tour/index.html"),
        1,
        "the page's own facade"
    );
    assert_eq!(
        count("public/videos/hosted/index.html"),
        0,
        "a hosted file needs no script"
    );
    assert_eq!(
        count("public/stories/plain/index.html"),
        0,
        "no facade, no script"
    );
    assert_eq!(count("public/index.html"), 0);
    let feed = p.read("public/stories/atom.xml");
    assert!(
        feed.contains("player-facade"),
        "the story's facade is in the feed"
    );
    assert!(
        !feed.contains("video.js") && !feed.contains("&lt;script"),
        "{feed}"
    );
    assert!(
        p.read("public/stories/watch/index.html")
            .contains(".js\" defer></script>\n</body>")
    );
}

/// QA s8 Q114: a YouTube or Vimeo video without a poster was a black box. Now the author gives
/// a poster (a video page's `image:`, the `{video}` component's `poster:`, through the image
/// pipeline), and without one the facade is a card drawn in the page: "Video" and the title on
/// the site's colours, hidden from screen readers because the play link says the same. Nothing
/// in either is fetched from another site, and a poster from another site is refused.
#[test]
fn a_youtube_video_without_a_poster_shows_its_title_and_the_author_can_give_a_poster() {
    let p = project();
    p.write_bytes("site/static/images/still.jpg", &jpeg(1280, 720));
    p.write(
        "site/videos/tour.md",
        &format!("{VIDEO}embed: https://youtu.be/abcDEF_1234\n---\nBody.\n"),
    );
    p.write(
        "site/videos/with-image.md",
        &format!("{VIDEO}embed: https://vimeo.com/76979871\nimage: /images/poster.jpg\nimage_alt: \"\"\n---\nBody.\n"),
    );
    p.write(
        "site/stories/watch.md",
        "---\ntitle: Watch it\ndate: 2020-01-02\nsummary: S.\ntopics: [ubt-basics]\n---\nText.\n\n```{video}\nsrc: https://youtu.be/xyz_9876543\ntitle: Our <team> & us\n```\n\n```{video}\nsrc: https://youtu.be/xyz_9876544\ntitle: With a still\nposter: /images/still.jpg\n```\n\n```{video}\nsrc: with-image\nposter: /images/still.jpg\n```\n\n```{video}\nsrc: /videos/tour.mp4\ncaptions: /captions/tour.vtt\nposter: /images/still.jpg\n```\n",
    );
    p.ok(&["build"]);
    let card = |title: &str| {
        format!(
            "<span class=\"facade-card\" aria-hidden=\"true\"><span class=\"facade-card-kicker\">Video</span><span class=\"facade-card-title\">{title}</span></span>"
        )
    };
    // The video page without an image: the card, no picture, and the play link named as before.
    let html = p.read("public/videos/tour/index.html");
    let facade = section(&html, "<div class=\"player player-facade\"", "</a>");
    assert!(facade.contains(&card("Huddle tour")), "{facade}");
    assert!(!facade.contains("<img"), "{facade}");
    assert!(
        facade.contains("Play “Huddle tour”<span class=\"facade-where\"> on YouTube</span>"),
        "{facade}"
    );
    // With its image: the poster, no card.
    let html = p.read("public/videos/with-image/index.html");
    let facade = section(&html, "<div class=\"player player-facade\"", "</a>");
    assert!(facade.contains("src=\"/media/poster-"), "{facade}");
    assert!(!facade.contains("facade-card"), "{facade}");
    let story = p.read("public/stories/watch/index.html");
    let figures: Vec<&str> = story
        .split("<figure class=\"component-video\">")
        .skip(1)
        .collect();
    assert_eq!(figures.len(), 4, "{story}");
    // A YouTube address without a poster: the card with the component's title, escaped once.
    assert!(
        figures[0].contains(&card("Our &lt;team&gt; &amp; us")),
        "{}",
        figures[0]
    );
    assert!(!figures[0].contains("<img"), "{}", figures[0]);
    // With `poster:`: the author's picture, made responsive, no card.
    assert!(
        figures[1].contains("<img src=\"/media/still-"),
        "{}",
        figures[1]
    );
    assert!(
        figures[1].contains("srcset=\"/media/still-"),
        "{}",
        figures[1]
    );
    assert!(!figures[1].contains("facade-card"), "{}", figures[1]);
    // The component's poster over the video page's own image.
    assert!(
        figures[2].contains("<img src=\"/media/still-") && !figures[2].contains("/media/poster-"),
        "{}",
        figures[2]
    );
    // A hosted file: the poster of the `<video>`.
    assert!(
        figures[3].contains("<video controls preload=\"none\" poster=\"/media/still-800x450-")
            && figures[3].contains(".webp\">"),
        "{}",
        figures[3]
    );
    for tag in story.split("<figure").skip(1).flat_map(|f| f.split('<')) {
        assert!(
            !tag.contains("src=\"http")
                && !tag.contains("srcset=\"http")
                && !tag.contains("poster=\"http"),
            "nothing in a video is fetched from another site: <{tag}"
        );
    }
    // A poster from another site (YouTube's own thumbnail) would be loaded before the click:
    // refused, at its line, with what to do; one that is not a picture is refused too.
    p.write(
        "site/stories/remote.md",
        "---\ntitle: R\ndate: 2020-01-02\nsummary: S.\ntopics: [ubt-basics]\n---\nText.\n\n```{video}\nsrc: https://youtu.be/xyz_9876543\ntitle: Remote\nposter: https://i.ytimg.com/vi/xyz_9876543/hqdefault.jpg\n```\n\n```{video}\nsrc: https://youtu.be/xyz_9876543\ntitle: A text file\nposter: /files/huddle-checklist.txt\n```\n",
    );
    // `poster:` on a video page: its poster is `image:`.
    p.write(
        "site/videos/poster-key.md",
        &format!("{VIDEO}embed: https://youtu.be/abcDEF_1234\nposter: /images/still.jpg\n---\n"),
    );
    let e = p.fails(&["build"]).stderr;
    assert!(
        e.contains("site/videos/poster-key.md:8:1: error: unknown field `poster` in videos"),
        "{e}"
    );
    assert!(
        e.contains("did you mean `image`? a video's poster (the picture shown before it plays) is its `image`"),
        "{e}"
    );
    assert!(
        e.contains("site/stories/remote.md:12:9: error: https://i.ytimg.com/vi/xyz_9876543/hqdefault.jpg: a poster from another site would be loaded before the reader chooses play"),
        "{e}"
    );
    assert!(e.contains("save the picture under static/"), "{e}");
    assert!(
        e.contains(
            "site/stories/remote.md:18:9: error: /files/huddle-checklist.txt is not an image"
        ),
        "{e}"
    );
}

/// An MP4 whose `moov` box (its index) is missing or cut off plays nowhere (QA s8 Q122: an
/// upload cut short was published without a word; `ffprobe`: "moov atom not found"). `build`
/// and `check` say so at the video page's `src:` and at a `{video}`'s `src:`, with what to do,
/// like a picture cut short; nothing is written.
#[test]
fn an_mp4_cut_short_is_an_error_in_build_and_check() {
    let p = project();
    let boxed = |kind: &[u8], body: &[u8]| {
        let mut b = ((body.len() + 8) as u32).to_be_bytes().to_vec();
        b.extend(kind);
        b.extend(body);
        b
    };
    let ftyp = boxed(b"ftyp", b"isom\0\0\x02\0isomiso2");
    // A phone's file: media data first, then the index; the copy stopped in the media data.
    let mut whole = ftyp.clone();
    whole.extend(boxed(b"mdat", &[7; 3_000_000]));
    whole.extend(boxed(b"moov", &boxed(b"mvhd", &[0; 100])));
    p.write_bytes("site/static/videos/cut.mp4", &whole[..1_200_000]);
    // A recording that stopped before its index was written: no `moov` at all.
    let mut no_index = ftyp.clone();
    no_index.extend(boxed(b"mdat", &[7; 5000]));
    p.write_bytes("site/static/videos/no-index.mp4", &no_index);
    // The whole file plays.
    p.write_bytes("site/static/videos/whole.mp4", &whole);
    for (name, file) in [("cut", "cut"), ("no-index", "no-index"), ("whole", "whole")] {
        p.write(
            &format!("site/videos/{name}.md"),
            &format!("{VIDEO}src: /videos/{file}.mp4\ncaptions: /captions/tour.vtt\n---\n"),
        );
    }
    p.write(
        "site/stories/clips.md",
        "---\ntitle: C\ndate: 2020-01-02\nsummary: S.\ntopics: [ubt-basics]\n---\nText.\n\n```{video}\nsrc: /videos/no-index.mp4\ncaptions: /captions/tour.vtt\n```\n\n```{video}\nsrc: /videos/whole.mp4\ncaptions: /captions/tour.vtt\n```\n",
    );
    let before = p.snapshot_dir("site");
    for cmd in ["build", "check"] {
        let e = p.fails(&[cmd]).stderr;
        let has = |s: &str| assert!(e.contains(s), "{cmd}: missing `{s}` in:\n{e}");
        has(
            "site/videos/cut.md:7:6: error: /videos/cut.mp4 is cut short (1.2 MB of the 3.0 MB the file says it has): no browser can play it",
        );
        has(
            "help: the copy or upload of this file was interrupted: copy it again from the original",
        );
        has(
            "site/videos/no-index.md:7:6: error: /videos/no-index.mp4 is cut short: it has no index (the MP4 `moov` box), so no browser can play it",
        );
        has("help: the export or recording stopped before it finished");
        has(
            "site/stories/clips.md:10:6: error: /videos/no-index.mp4 is cut short: it has no index",
        );
        assert!(!e.contains("whole.mp4"), "{cmd}: the whole file plays: {e}");
        assert!(!e.contains("clips.md:15"), "{cmd}: {e}");
    }
    assert!(!p.exists("public/index.html"), "nothing written");
    assert_eq!(before, p.snapshot_dir("site"));
}

/// Captions in a `{video}` say their language (`srclang`) and are named in it: a Spanish
/// page's own captions file is Spanish ("Subtítulos", `es`), and a file named `….es.vtt` is
/// Spanish on any page. (A track the component gave had no `srclang` at all.)
#[test]
fn captions_in_a_video_component_say_their_language() {
    let p = Project::bilingual();
    p.write_bytes("site/static/videos/tour.mp4", MP4);
    p.write("site/static/captions/tour.vtt", VTT);
    p.write("site/static/captions/tour.es.vtt", VTT);
    let video = |captions: &str| {
        format!("Text.\n\n```{{video}}\nsrc: /videos/tour.mp4\ncaptions: {captions}\n```\n")
    };
    let story = |captions: &str| {
        format!(
            "---\ntitle: Clip\ndate: 2020-01-02\nsummary: S.\ntopics: [ubt-basics]\n---\n{}",
            video(captions)
        )
    };
    let spanish = |captions: &str| {
        format!(
            "---\ntitle: Un clip\nsummary: Un resumen.\n---\n{}",
            video(captions)
        )
    };
    p.write("site/stories/clip.md", &story("/captions/tour.vtt"));
    p.write("site/stories/clip.es.md", &spanish("/captions/tour.es.vtt"));
    p.write("site/stories/clip-two.md", &story("/captions/tour.es.vtt"));
    p.write(
        "site/stories/clip-two.es.md",
        &spanish("/captions/tour.vtt"),
    );
    p.ok(&["build"]);
    let track = |page: &str| {
        let html = p.read(page);
        section(&html, "<track ", ">").to_string()
    };
    assert_eq!(
        track("public/es/stories/clip/index.html"),
        r#"<track kind="captions" src="/captions/tour.es.vtt" srclang="es" label="Subtítulos" default>"#
    );
    assert_eq!(
        track("public/stories/clip/index.html"),
        r#"<track kind="captions" src="/captions/tour.vtt" srclang="en" label="Captions" default>"#
    );
    assert_eq!(
        track("public/stories/clip-two/index.html"),
        r#"<track kind="captions" src="/captions/tour.es.vtt" srclang="es" label="Subtítulos" default>"#
    );
    // A file with no language in its name on a Spanish page: the page's language.
    assert_eq!(
        track("public/es/stories/clip-two/index.html"),
        r#"<track kind="captions" src="/captions/tour.vtt" srclang="es" label="Subtítulos" default>"#
    );
}
