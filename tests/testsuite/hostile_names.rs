//! Files an editor names as people name files (spaces, accents, `&`, parentheses, a `#`): every
//! address lmp writes for them is a valid URL (percent-encoded), and the same as a markdown link
//! to the same file gives; a `#` in a name is written `%23` in a component, as in a link.

use crate::harness::Project;

/// The smallest bytes lmp takes for a whole MP4 file (see video.rs).
const MP4: &[u8] = b"\0\0\0\x18ftypisom\0\0\x02\0isomiso2\0\0\0\x08moov";
const VTT: &str = "WEBVTT\n\n00:00.000 --> 00:02.000\nHola, equipo.\n";

/// Every `href` and `src` value of `html`.
fn addresses(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            out.push(&rest[..end]);
        }
    }
    out
}

// Hostile s24: a download, a video and its captions, and a tool's file named with a space were
// written into `href`/`src` as they are (`/files/Guía Rápida (v2) & más.pdf`): invalid HTML (the
// validator: "Illegal character in path segment. Space is not allowed"), while a markdown link
// to the same file was encoded. A video named with a `#` could not be placed at all: as written
// the `#` started a fragment, and `%23` was "does not exist", with a help naming it with the `#`;
// in front matter (a video page's `src:`, where the name is written as it is) the `#` was written
// into the page as it is, and the browser asked for `Otro vídeo ` (the rest a fragment).
#[test]
fn files_named_with_spaces_accents_and_a_hash_get_valid_addresses_everywhere() {
    let p = Project::fixture("basic");
    p.write_bytes(
        "site/static/files/Guía Rápida (v2) & más.pdf",
        b"%PDF-1.4\n%%EOF\n",
    )
    .write_bytes("site/static/videos/Mi Vídeo #1.mp4", MP4)
    .write("site/static/captions/Mi Vídeo #1.en.vtt", VTT)
    .write_bytes("site/static/videos/Otro vídeo #2.mp4", MP4)
    .write("site/static/captions/Otro vídeo.en.vtt", VTT)
    .write(
        "site/static/images/Logo nuevo #2.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\"><rect width=\"40\" height=\"20\"/></svg>\n",
    );
    p.write(
        "site/stories/odd-names.md",
        "---\ntitle: Odd names\ndate: 2020-03-04\nsummary: Files with the names people give them.\n---\n\
         Read [the guide](</files/Guía Rápida (v2) & más.pdf>).\n\n\
         ```{download}\nfile: \"/files/Guía Rápida (v2) & más.pdf\"\nlabel: The quick guide\n```\n\n\
         ```{video}\nsrc: /videos/Mi%20V%C3%ADdeo%20%231.mp4\ncaptions: \"/captions/Mi Vídeo %231.en.vtt\"\ntitle: A clip\n```\n\n\
         ```{figure}\nsrc: /images/Logo nuevo %232.svg\nalt: A black box\n```\n",
    );
    p.write(
        "site/tools/quick-guide.md",
        "---\ntitle: Quick guide\nsummary: The guide on one page.\nkind: checklist\nfile: \"/files/Guía Rápida (v2) & más.pdf\"\n---\nPrint it.\n",
    );
    p.write(
        "site/videos/otro-video.md",
        "---\ntitle: Another clip\ndate: 2020-01-01\nsummary: A clip.\nsrc: \"/videos/Otro vídeo #2.mp4\"\ncaptions: \"/captions/Otro vídeo.en.vtt\"\ntranscript: Hola, equipo.\n---\nWatch it.\n",
    );
    p.ok(&["build"]);
    let pdf = "/files/Gu%C3%ADa%20R%C3%A1pida%20(v2)%20&amp;%20m%C3%A1s.pdf";
    let story = p.read("public/stories/odd-names/index.html");
    let tool = p.read("public/tools/quick-guide/index.html");
    let video = p.read("public/videos/otro-video/index.html");
    // The markdown link and the download: one address.
    assert_eq!(
        addresses(&story).iter().filter(|a| **a == pdf).count(),
        2,
        "{story}"
    );
    assert!(addresses(&tool).contains(&pdf), "{tool}");
    for want in [
        "/videos/Mi%20V%C3%ADdeo%20%231.mp4",
        "/captions/Mi%20V%C3%ADdeo%20%231.en.vtt",
        "/images/Logo%20nuevo%20%232.svg",
    ] {
        assert!(addresses(&story).contains(&want), "{want} in {story}");
    }
    for want in [
        "/videos/Otro%20v%C3%ADdeo%20%232.mp4",
        "/captions/Otro%20v%C3%ADdeo.en.vtt",
    ] {
        assert!(addresses(&video).contains(&want), "{want} in {video}");
    }
    for (page, html) in [("story", &story), ("tool", &tool), ("video", &video)] {
        let bad: Vec<_> = addresses(html)
            .into_iter()
            .filter(|a| a.contains(char::is_whitespace) || !a.is_ascii())
            .collect();
        assert!(bad.is_empty(), "{page}: {bad:?}");
    }
    // The files are where the addresses lead, under their own names.
    assert!(p.exists("public/files/Guía Rápida (v2) & más.pdf"));
    assert!(p.exists("public/videos/Mi Vídeo #1.mp4"));

    // Misspelt, the help names the file as it is to be written (`%23`), not with the `#`.
    p.write(
        "site/stories/odd-names.md",
        "---\ntitle: Odd names\ndate: 2020-03-04\nsummary: Files with the names people give them.\n---\n\
         ```{video}\nsrc: /videos/Mi%20Video%20%231.mp4\ntitle: A clip\n```\n",
    );
    let o = p.fails(&["build"]);
    assert!(
        o.stderr
            .contains("did you mean `/videos/Mi Vídeo %231.mp4`?"),
        "{}",
        o.stderr
    );
}

/// A `#` typed in a link to a file (`[report](</files/Report #2.pdf>)`) starts a place in the
/// page, so the link named the file cut at the `#`, and the help said to put `static/files/Report `
/// in place: it names `%23`, the way such a file is written. A component's file argument is a
/// file's name, `#` included.
#[test]
fn a_hash_typed_in_a_file_link_is_told_to_be_written_as_percent_23() {
    let p = Project::fixture("basic");
    p.write_bytes("site/static/videos/Mi Vídeo #1.mp4", MP4)
        .write("site/static/captions/Mi Vídeo #1.en.vtt", VTT)
        .write_bytes("site/static/files/Report #2.pdf", b"%PDF-1.4\n%%EOF\n");
    let story = |link: &str| {
        format!(
            "---\ntitle: Odd names\ndate: 2020-03-04\nsummary: Files with the names people give them.\n---\n\
             Read [the report]({link}).\n\n\
             ```{{video}}\nsrc: /videos/Mi Vídeo #1.mp4\ncaptions: /captions/Mi Vídeo #1.en.vtt\ntitle: A clip\n```\n"
        )
    };
    p.write(
        "site/stories/odd-names.md",
        &story("</files/Report #2.pdf>"),
    );
    let o = p.fails(&["build"]);
    let err = &o.stderr;
    assert!(
        err.contains(
            "a file whose name has a `#` is written with `%23`: `/files/Report%20%232.pdf`"
        ),
        "{err}"
    );
    assert!(!err.contains("as static/files/Report"), "{err}");
    assert_eq!(err.matches("error:").count(), 1, "{err}");
    // Written as the help says, the build passes, and the video's `#` was its name all along.
    p.write(
        "site/stories/odd-names.md",
        &story("/files/Report%20%232.pdf"),
    );
    p.ok(&["build"]);
    let html = p.read("public/stories/odd-names/index.html");
    assert!(html.contains("/files/Report%20%232.pdf"), "{html}");
    assert!(
        html.contains("/videos/Mi%20V%C3%ADdeo%20%231.mp4"),
        "{html}"
    );
}
