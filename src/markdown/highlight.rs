//! Syntax highlighting of fenced code blocks, and the stylesheet that colours them. The only file
//! naming syntect: the syntax set is loaded once, lazily, the first time a page has a code block
//! with a language.

use std::sync::LazyLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// Token classes look like `hl-keyword hl-yaml`, so they cannot clash with the theme's own classes.
const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Code larger than this is shown plain: highlighting is regex-heavy and a pathological block must
/// not stall a build.
const MAX_CODE: usize = 256 * 1024;
/// Lines longer than this (minified files) are shown plain for the same reason.
const MAX_LINE: usize = 4 * 1024;

/// Highlighted HTML (`<span class="hl-…">` runs, escaped, without `<pre>`) for `code` written in
/// `lang` (a fence token such as `yaml`, `rs`, `json`), or `None` when the language is unknown or
/// the code too large to highlight.
pub(crate) fn highlight(lang: &str, code: &str) -> Option<String> {
    if lang.is_empty() || code.len() > MAX_CODE {
        return None;
    }
    let syntaxes = &*SYNTAXES;
    let syntax = syntaxes.find_syntax_by_token(lang)?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, STYLE);
    for line in LinesWithEndings::from(code) {
        if line.len() > MAX_LINE {
            return None;
        }
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

/// The stylesheet that colours highlighted code, generated from syntect's theme with every token
/// colour raised to WCAG AA. Only tests use it: `themes/lmp/static/syntax.css` is its output,
/// committed, and a test keeps the two equal (the build copies the committed file).
#[cfg(test)]
mod stylesheet {
    use super::*;
    use syntect::highlighting::{Color, Theme, ThemeSet};
    use syntect::html::css_for_theme_with_class_style;

    /// The light theme the stylesheet is generated from (its low-contrast colours are darkened).
    pub(super) const THEME: &str = "InspiredGitHub";

    /// The stylesheet for highlighted code (`themes/lmp/static/syntax.css` is this, committed; a test
    /// keeps the two equal). Every token colour meets WCAG AA (4.5:1) on its background.
    pub(super) fn highlight_css() -> String {
        let mut theme = ThemeSet::load_defaults()
            .themes
            .remove(THEME)
            .expect("syntect ships the InspiredGitHub theme");
        ensure_contrast(&mut theme);
        let css = css_for_theme_with_class_style(&theme, STYLE)
            .expect("the default theme converts to CSS");
        // The renderer emits `<pre class="code">`; give it the theme's base colours.
        css.replacen(".hl-code {", "pre.code {", 1)
    }

    pub(super) const WHITE: Color = Color {
        r: 255,
        g: 255,
        b: 255,
        a: 255,
    };
    pub(super) const BLACK: Color = Color {
        r: 0,
        g: 0,
        b: 0,
        a: 255,
    };
    /// WCAG AA for normal text.
    pub(super) const MIN_CONTRAST: f64 = 4.5;

    /// Darken (or, on a dark background, lighten) every foreground colour of `theme` until it has at
    /// least [`MIN_CONTRAST`] against the background it is drawn on.
    pub(super) fn ensure_contrast(theme: &mut Theme) {
        let page_bg = theme.settings.background.unwrap_or(WHITE);
        let page_fg = theme.settings.foreground.unwrap_or(BLACK);
        theme.settings.foreground = Some(adjust(page_fg, page_bg));
        for item in &mut theme.scopes {
            let bg = item.style.background.unwrap_or(page_bg);
            if let Some(fg) = item.style.foreground {
                item.style.foreground = Some(adjust(fg, bg));
            } else if item.style.background.is_some() && contrast(page_fg, bg) < MIN_CONTRAST {
                item.style.foreground = Some(adjust(page_fg, bg));
            }
        }
    }

    fn adjust(mut fg: Color, bg: Color) -> Color {
        let towards_black = luminance(bg) > 0.18;
        for _ in 0..200 {
            if contrast(fg, bg) >= MIN_CONTRAST {
                break;
            }
            let step = |c: u8| -> u8 {
                if towards_black {
                    (f64::from(c) * 0.96).floor() as u8
                } else {
                    (f64::from(c) + (255.0 - f64::from(c)) * 0.04)
                        .ceil()
                        .min(255.0) as u8
                }
            };
            fg = Color {
                r: step(fg.r),
                g: step(fg.g),
                b: step(fg.b),
                a: fg.a,
            };
        }
        fg
    }

    /// WCAG relative luminance.
    pub(super) fn luminance(c: Color) -> f64 {
        let lin = |v: u8| {
            let s = f64::from(v) / 255.0;
            if s <= 0.03928 {
                s / 12.92
            } else {
                ((s + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b)
    }

    /// WCAG contrast ratio between two colours (1.0 to 21.0).
    pub(super) fn contrast(a: Color, b: Color) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
        (hi + 0.05) / (lo + 0.05)
    }
}

#[cfg(test)]
mod tests {
    use super::stylesheet::*;
    use super::*;
    use syntect::highlighting::ThemeSet;

    const COMMITTED: &str = include_str!("../../themes/lmp/static/syntax.css");

    /// Regenerate with `LMP_BLESS_CSS=1 cargo test --lib syntax_css`.
    #[test]
    fn committed_syntax_css_is_current() {
        let css = highlight_css();
        if std::env::var_os("LMP_BLESS_CSS").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/lmp/static/syntax.css");
            crate::fsx::write_replacing(std::path::Path::new(path), css.as_bytes()).unwrap();
            return;
        }
        assert!(
            COMMITTED == css,
            "themes/lmp/static/syntax.css is stale: run `LMP_BLESS_CSS=1 cargo test --lib syntax_css`"
        );
    }

    #[test]
    fn every_token_colour_meets_wcag_aa() {
        let mut theme = ThemeSet::load_defaults().themes.remove(THEME).unwrap();
        ensure_contrast(&mut theme);
        let page_bg = theme.settings.background.unwrap_or(WHITE);
        let page_fg = theme.settings.foreground.unwrap();
        assert!(contrast(page_fg, page_bg) >= MIN_CONTRAST);
        for item in &theme.scopes {
            let bg = item.style.background.unwrap_or(page_bg);
            let fg = item.style.foreground.unwrap_or(page_fg);
            let ratio = contrast(fg, bg);
            assert!(ratio >= MIN_CONTRAST, "{:?}: {ratio:.2}", item.scope);
        }
    }

    #[test]
    fn contrast_formula() {
        assert!((contrast(WHITE, BLACK) - 21.0).abs() < 1e-9);
        assert!((contrast(WHITE, WHITE) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn unknown_language_is_none() {
        assert!(highlight("no-such-language", "x\n").is_none());
        assert!(highlight("", "x\n").is_none());
        let yaml = highlight("yaml", "a: 1\n").unwrap();
        assert!(yaml.contains("hl-"), "{yaml}");
    }
}
