//! Generated share cards: the 1200×630 PNG that `og:image`/`twitter:image` point to for a
//! page without a lead image. The only file that names `resvg` (SVG to pixels) and `skrifa`
//! (glyph advances, to wrap the title).
//!
//! The card shows the site's name, the page's collection and its title, in the page's
//! language, in the theme's colours. The title is wrapped to the width of its box and shrunk
//! step by step until it fits in the box's height; at the smallest size a title that still
//! does not fit is cut at a word with an ellipsis, so text never leaves its box. Text is drawn
//! with the bundled DejaVu Sans Bold (`fonts/`, Bitstream Vera licence, beside it) and no
//! system font, so two machines make the same bytes.
//!
//! The font is cut to the Latin (Vietnamese and the Hawaiian ʻokina included), Greek and
//! Cyrillic scripts and common punctuation, currency and number signs. A text with a letter it
//! has no glyph for (Chinese, Japanese, Korean, Arabic, Hebrew, …) is left off the card rather
//! than drawn as empty boxes ("tofu"): the card then shows the site's name and the collection,
//! and its alt text says only what is on it. A symbol it lacks (an emoji) is left out of the
//! text. [`super::checks`] warns at the document's `title` either way ([`missing_glyphs`]).

use std::sync::{Arc, LazyLock};

use resvg::{tiny_skia, usvg};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};

/// The bundled font: DejaVu Sans Bold 2.37 cut with `pyftsubset` to U+0020–007E, U+00A0–036F
/// (Latin-1, Latin Extended A and B, IPA, spacing modifiers such as ʻ, combining marks),
/// U+0370–03FF and U+1F00–1FFF (Greek), U+0400–052F (Cyrillic), U+1E00–1EFF (Latin Extended
/// Additional: Vietnamese), U+2000–206F (punctuation), U+20A0–20CF (currency), U+2100–21FF
/// (letterlike signs such as №, number forms such as ½, arrows) and U+FB00–FB06 (ligatures),
/// every layout feature kept: 183 kB.
static FONT: &[u8] = include_bytes!("fonts/DejaVuSans-Bold.ttf");
const FAMILY: &str = "DejaVu Sans";

/// Part of every card's cache key with its SVG: bump it when the renderer or the PNG
/// settings change (the SVG already holds the text, the layout and the design).
pub(crate) const VERSION: &str = "resvg-0.49|png-fast-adaptive";

/// The card's size in pixels.
pub(crate) const WIDTH: u32 = 1200;
pub(crate) const HEIGHT: u32 = 630;
/// Left margin and the text width every line must fit in.
const LEFT: f32 = 80.0;
const TEXT_W: f32 = 1040.0;
/// The title's box: top and height (below the collection label, above the bottom band).
const TITLE_TOP: f32 = 240.0;
const TITLE_H: f32 = 320.0;
/// Title sizes tried, largest first; lines are 1.2 × the size apart.
const TITLE_SIZES: [f32; 8] = [76.0, 68.0, 60.0, 54.0, 48.0, 44.0, 40.0, 36.0];
const LINE: f32 = 1.2;
/// The theme's colours (`--brand`, `--accent`, `--focus-dark` of `lmp.css`).
const BRAND: &str = "#003a5d";
const ACCENT: &str = "#0f6cbd";
const HIGHLIGHT: &str = "#ffc83d";

/// What a card says.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct CardText {
    pub title: String,
    /// The collection's label in the page's language (`Story`, `Historia`); may be empty.
    pub collection: String,
    /// The site's name in the page's language.
    pub site: String,
    /// The page's language (BCP 47), for shaping.
    pub lang: String,
}

/// The title set in lines at one size.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Layout {
    pub size: f32,
    pub lines: Vec<String>,
}

static FACE: LazyLock<Option<skrifa::FontRef<'static>>> =
    LazyLock::new(|| skrifa::FontRef::new(FONT).ok());

static FONTDB: LazyLock<Arc<usvg::fontdb::Database>> = LazyLock::new(|| {
    let mut db = usvg::fontdb::Database::new();
    db.load_font_data(FONT.to_vec());
    db.set_sans_serif_family(FAMILY);
    Arc::new(db)
});

/// The advance width of `text` at `size` px (a glyph the font lacks counts as a wide one).
pub(crate) fn measure(text: &str, size: f32) -> f32 {
    let Some(face) = FACE.as_ref() else {
        return text.chars().count() as f32 * size * 0.7;
    };
    let metrics = face.glyph_metrics(Size::new(size), LocationRef::default());
    let cmap = face.charmap();
    text.chars()
        .map(|c| {
            cmap.map(c)
                .and_then(|g| metrics.advance_width(g))
                .unwrap_or(size * 0.7)
        })
        .sum()
}

/// The characters of `text` the bundled font has no glyph for, each once, in order (spaces and
/// invisible format characters are not drawn, so they never count).
pub(crate) fn missing_glyphs(text: &str) -> Vec<char> {
    let Some(face) = FACE.as_ref() else {
        return Vec::new();
    };
    let cmap = face.charmap();
    let mut out = Vec::new();
    for c in text.chars() {
        let drawn = !(c.is_whitespace() || c.is_control() || invisible(c));
        if drawn && cmap.map(c).is_none() && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// Format characters that draw nothing (zero-width space and joiners, marks of direction, word
/// joiner, variation selectors, byte-order mark).
fn invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}' | '\u{fe00}'..='\u{fe0f}')
}

/// What of `text` the card draws: all of it when the font has every glyph; without the
/// symbols it lacks (emoji) when it lacks no letter or digit; nothing when it lacks a letter
/// (part of a word would be worse than none).
pub(crate) fn drawable(text: &str) -> String {
    let missing = missing_glyphs(text);
    if missing.iter().any(|c| c.is_alphanumeric()) {
        return String::new();
    }
    let kept: String = text
        .chars()
        .filter(|c| !missing.contains(c) && !invisible(*c))
        .collect();
    if missing.is_empty() {
        kept
    } else {
        kept.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// The words a card shows (its alt text): the title, the collection and the site, each only
/// when the font can draw it.
pub(crate) fn alt_text(card: &CardText) -> String {
    let title = drawable(&card.title);
    let rest: Vec<String> = [drawable(&card.collection), drawable(&card.site)]
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .collect();
    match (title.trim().is_empty(), rest.is_empty()) {
        (false, false) => format!("{title} ({})", rest.join(", ")),
        (false, true) => title,
        (true, _) => rest.join(", "),
    }
}

/// Greedy word wrap of `text` at `size` into lines at most `width` wide; a word wider than a
/// line is broken between characters.
fn wrap(text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if measure(&candidate, size) <= width {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // The word alone: break it if it is wider than a line.
        for c in word.chars() {
            line.push(c);
            if measure(&line, size) > width && line.chars().count() > 1 {
                line.pop();
                lines.push(std::mem::take(&mut line));
                line.push(c);
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `line` shortened at a word (or a character) so that it and an ellipsis fit in `width`.
fn ellipsize(line: &str, size: f32, width: f32) -> String {
    let mut s = line.trim_end().to_string();
    loop {
        let out = format!("{s}…");
        if measure(&out, size) <= width || s.is_empty() {
            return out;
        }
        match s.rfind(' ') {
            Some(i) if measure(&s[..i], size) > width * 0.6 => s.truncate(i),
            _ => {
                s.pop();
            }
        }
        s = s.trim_end().to_string();
    }
}

/// Set the title: the largest size at which it fits in the title box; at the smallest size,
/// the lines that fit with the last one cut.
pub(crate) fn layout_title(title: &str) -> Layout {
    let mut last = Layout {
        size: TITLE_SIZES[TITLE_SIZES.len() - 1],
        lines: Vec::new(),
    };
    for size in TITLE_SIZES {
        let max_lines = (TITLE_H / (size * LINE)).floor() as usize;
        let lines = wrap(title, size, TEXT_W);
        if lines.len() <= max_lines {
            return Layout { size, lines };
        }
        last = Layout { size, lines };
    }
    let max_lines = (TITLE_H / (last.size * LINE)).floor() as usize;
    if last.lines.len() > max_lines {
        last.lines.truncate(max_lines);
        if let Some(l) = last.lines.last_mut() {
            *l = ellipsize(l, last.size, TEXT_W);
        }
    }
    last
}

/// One line of text at most `width` wide: shrunk from `size` down to `min`, then cut.
fn one_line(text: &str, size: f32, min: f32, width: f32) -> (f32, String) {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut s = size;
    while s > min && measure(&text, s) > width {
        s -= 2.0;
    }
    if measure(&text, s) <= width {
        (s, text)
    } else {
        (s, ellipsize(&text, s, width))
    }
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    crate::escape::escape_attr(&mut out, s);
    out
}

/// The card as SVG.
pub(crate) fn svg(card: &CardText) -> String {
    let layout = layout_title(&drawable(&card.title));
    let (site_size, site) = one_line(
        &drawable(&card.site),
        34.0,
        24.0,
        WIDTH as f32 - 176.0 - LEFT,
    );
    let (label_size, label) = one_line(&drawable(&card.collection), 30.0, 22.0, TEXT_W);
    let mut out = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FAMILY}" font-weight="bold">
<rect width="{WIDTH}" height="{HEIGHT}" fill="{BRAND}"/>
<rect y="{band}" width="{WIDTH}" height="24" fill="{ACCENT}"/>
<circle cx="118" cy="108" r="38" fill="none" stroke="#fff" stroke-width="4"/>
<text x="118" y="117" text-anchor="middle" font-size="24" fill="#fff">LMP</text>
<text x="176" y="120" font-size="{site_size}" fill="#fff">{site}</text>
"##,
        band = HEIGHT - 24,
        site = esc(&site),
    );
    if !label.is_empty() {
        out.push_str(&format!(
            "<text x=\"{LEFT}\" y=\"212\" font-size=\"{label_size}\" fill=\"{HIGHLIGHT}\">{}</text>\n",
            esc(&label)
        ));
    }
    out.push_str(&format!(
        "<text font-size=\"{}\" fill=\"#fff\">",
        layout.size
    ));
    for (i, line) in layout.lines.iter().enumerate() {
        // Baseline: the ascent (0.93 em for DejaVu) below the top of the line.
        let y = TITLE_TOP + layout.size * 0.93 + i as f32 * layout.size * LINE;
        out.push_str(&format!(
            "<tspan x=\"{LEFT}\" y=\"{y:.1}\">{}</tspan>",
            esc(line)
        ));
    }
    out.push_str("</text>\n</svg>\n");
    out
}

/// Render a card to PNG bytes.
pub(crate) fn render(card: &CardText) -> Result<Vec<u8>, String> {
    super::codec::encode_png_rgb(&pixels(card)?, WIDTH, HEIGHT)
}

/// Render a card to RGB pixels.
fn pixels(card: &CardText) -> Result<Vec<u8>, String> {
    let svg = svg(card);
    let opt = usvg::Options {
        fontdb: FONTDB.clone(),
        font_family: FAMILY.to_string(),
        languages: vec![card.lang.clone()],
        ..Default::default()
    };
    let tree = usvg::Tree::from_str(&svg, &opt).map_err(|e| format!("share card: {e}"))?;
    let mut pixmap =
        tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or_else(|| "share card: no pixmap".to_string())?;
    resvg::render(
        &tree,
        tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    // The background is opaque, so premultiplied RGBA is plain RGB plus a full alpha.
    let mut rgb = Vec::with_capacity((WIDTH * HEIGHT * 3) as usize);
    for p in pixmap.data().chunks_exact(4) {
        rgb.extend_from_slice(&p[..3]);
    }
    Ok(rgb)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fits(l: &Layout) {
        for line in &l.lines {
            assert!(
                measure(line, l.size) <= TEXT_W,
                "`{line}` is {} px wide at {} px",
                measure(line, l.size),
                l.size
            );
        }
        let bottom = TITLE_TOP + l.size * 0.93 + (l.lines.len() as f32 - 1.0) * l.size * LINE;
        // The last baseline plus the descent (0.24 em) stays in the box.
        assert!(bottom + l.size * 0.24 <= TITLE_TOP + TITLE_H, "{l:?}");
    }

    #[test]
    fn a_short_title_is_large_on_one_line() {
        let l = layout_title("Partnership works");
        assert_eq!(l.size, TITLE_SIZES[0]);
        assert_eq!(l.lines, vec!["Partnership works"]);
    }

    #[test]
    fn a_200_character_title_wraps_shrinks_and_never_overflows() {
        let title = "Frontline teams in every region measured, tested and improved the way they \
                     hand off patients between shifts, and the results of three years of work \
                     were shared with every unit-based team in the partnership this year"
            .to_string();
        let title: String = title.chars().take(200).collect();
        assert_eq!(title.chars().count(), 200);
        let l = layout_title(&title);
        assert!(l.size < TITLE_SIZES[0], "{l:?}");
        assert!(l.lines.len() >= 3, "{l:?}");
        fits(&l);
        // Nothing was lost: every word is on the card.
        assert_eq!(l.lines.join(" "), title);
    }

    #[test]
    fn a_title_too_long_for_the_box_is_cut_with_an_ellipsis() {
        let title = "palabra ".repeat(120);
        let l = layout_title(&title);
        fits(&l);
        assert!(l.lines.last().is_some_and(|s| s.ends_with('…')), "{l:?}");
        // One word wider than a line is broken, not left overflowing.
        let l = layout_title(&"W".repeat(80));
        fits(&l);
    }

    #[test]
    fn spanish_accents_are_in_the_font_and_measured() {
        let face = FACE.as_ref().expect("the bundled font parses");
        let cmap = face.charmap();
        for c in "áéíóúüñÁÉÍÓÚÜÑ¿¡«»–—…".chars() {
            assert!(cmap.map(c).is_some(), "the font has no `{c}`");
        }
        let l = layout_title(
            "¿Cómo logró el equipo de Oncología de Baldwin Park reducir las caídas? Años de \
             mejoras pequeñas, según la enfermería y los técnicos",
        );
        fits(&l);
    }

    #[test]
    fn a_title_in_a_script_the_font_lacks_is_left_off_not_drawn_as_boxes() {
        // Covered: Vietnamese, the ʻokina, Greek, Cyrillic, typographic signs.
        for t in [
            "Hawaiʻi team’s “best” year — 2024… ½ € №",
            "Nhóm của chúng tôi: Việt ngữ",
            "Ελληνικά Кириллица Партнёрство",
            "Acción conjunta: señalización – «compañerismo»",
            "zero\u{200b}width and\ttab",
        ] {
            assert_eq!(missing_glyphs(t), Vec::<char>::new(), "{t}");
            assert_eq!(drawable(t), t.replace('\u{200b}', ""));
        }
        assert_eq!(missing_glyphs("労使パートナーシップ").len(), 9);
        let card = CardText {
            title: "労使パートナーシップ 2024".into(),
            collection: "Story".into(),
            site: "Labor Management Partnership".into(),
            lang: "ja".into(),
        };
        let svg = svg(&card);
        assert!(!svg.contains("<tspan"), "no title line: {svg}");
        assert!(!svg.contains('労') && !svg.contains("2024"));
        assert!(svg.contains(">Story<") && svg.contains(">Labor Management Partnership<"));
        assert_eq!(alt_text(&card), "Story, Labor Management Partnership");
        // The card still renders, and shows no title: it is the card of an empty title.
        let empty = CardText {
            title: String::new(),
            ..card.clone()
        };
        assert_eq!(
            render(&card).expect("renders"),
            render(&empty).expect("renders")
        );
        // A site name the font lacks is left off too; a Latin title stays.
        let latin = CardText {
            title: "Partnership works".into(),
            site: "労使パートナーシップ".into(),
            ..card.clone()
        };
        assert!(!svg_has(&latin, '労'));
        assert_eq!(alt_text(&latin), "Partnership works (Story)");
        // A symbol the font lacks is left out of the text, the words stay.
        let emoji = CardText {
            title: "Our best year 🎉 yet 👍🏽!".into(),
            ..card
        };
        assert_eq!(missing_glyphs(&emoji.title), ['🎉', '👍', '🏽']);
        assert_eq!(drawable(&emoji.title), "Our best year yet !");
        assert!(svg_has(&emoji, 'O') && !svg_has(&emoji, '🎉'));
    }

    fn svg_has(card: &CardText, c: char) -> bool {
        svg(card).contains(c)
    }

    #[test]
    fn renders_the_same_bytes_twice_at_1200_by_630() {
        let card = CardText {
            title: "Acción conjunta: señalización y compañerismo en Oncología".into(),
            collection: "Historia".into(),
            site: "Alianza Laboral-Gerencial".into(),
            lang: "es".into(),
        };
        let a = render(&card).expect("renders");
        let b = render(&card).expect("renders");
        assert_eq!(a, b);
        assert!(a.starts_with(b"\x89PNG\r\n\x1a\n"));
        // IHDR: width and height.
        assert_eq!(&a[16..24], &[0, 0, 4, 176, 0, 0, 2, 118]);
        // The text is drawn: not every pixel is the background colour.
        let other = CardText {
            title: "Another title".into(),
            ..card
        };
        assert_ne!(render(&other).expect("renders"), a);
    }
}
