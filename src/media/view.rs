//! The image views templates get (part of the theme contract, `docs/theme.md`), and the
//! `<picture>` markup `lmp` writes itself for images in markdown bodies.

use serde::Serialize;

use super::codec::Format;
use super::{Entry, Focus, Images, Raster, Variant};
use crate::config::Config;

/// One `<source>` of a `<picture>`: a format and its candidates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct SourceView {
    /// MIME type (`image/webp`).
    #[serde(rename = "type")]
    pub mime: &'static str,
    /// `url 480w, url 800w, …`
    pub srcset: String,
}

/// A responsive picture: `src` (the fallback at a middle width), `srcset` (fallback
/// candidates), `sources` (modern formats, for `<source>`), `sizes`, `width`/`height` (of
/// the largest candidate: the aspect ratio) and `poster` (one address where only one fits).
/// Every [`ImageView`] is one, and a lead image's 16:9 thumbnail for cards (`thumb`) is one too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Picture {
    pub src: String,
    /// For an attribute that takes one address and no `srcset` (`<video poster>`): the WebP at
    /// `src`'s width when there is one (every browser the site supports shows WebP; a video
    /// page's 800 px poster is 9.9 KB where its JPEG is 23.3 KB), else `src`.
    pub poster: String,
    pub srcset: String,
    pub sources: Vec<SourceView>,
    pub sizes: &'static str,
    pub width: u32,
    pub height: u32,
}

/// An image as templates get it: the [`Picture`] fields, `alt` (`""` when decorative),
/// `caption`, `credit`, `thumb` (lead images: a 16:9 crop for cards, a [`Picture`]) and `og`
/// (lead images: the 1200×630 share card). An SVG has only `src`, `width` and `height` (0 when
/// it declares no size).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ImageView {
    #[serde(flatten)]
    pub picture: Picture,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub thumb: Option<Picture>,
    pub og: Option<OgView>,
}

/// A share card: full URL and size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct OgView {
    pub url: String,
    pub width: u32,
    pub height: u32,
}

fn srcset(cfg: &Config, vs: &[&Variant]) -> String {
    vs.iter()
        .map(|v| format!("{} {}w", cfg.url(&v.path), v.width))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The fallback `src`: the smallest candidate at least 800 px wide, else the largest.
fn middle<'a>(vs: &[&'a Variant]) -> Option<&'a Variant> {
    vs.iter().find(|v| v.width >= 800).or(vs.last()).copied()
}

/// The picture of a list of variants (`sizes` as given).
fn picture(cfg: &Config, vs: &[Variant], fallback: Format, sizes: &'static str) -> Picture {
    let fb: Vec<&Variant> = vs.iter().filter(|v| v.format == fallback).collect();
    let modern: Vec<&Variant> = vs.iter().filter(|v| v.format == Format::Webp).collect();
    let mid = middle(&fb);
    let src = mid.map(|v| cfg.url(&v.path)).unwrap_or_default();
    let poster = mid
        .and_then(|m| modern.iter().find(|v| v.width == m.width).copied())
        .or_else(|| middle(&modern))
        .map_or_else(|| src.clone(), |v| cfg.url(&v.path));
    let (width, height) = fb.last().map(|v| (v.width, v.height)).unwrap_or((0, 0));
    let mut sources = Vec::new();
    if fallback != Format::Webp && !modern.is_empty() {
        sources.push(SourceView {
            mime: Format::Webp.mime(),
            srcset: srcset(cfg, &modern),
        });
    }
    Picture {
        src,
        poster,
        srcset: srcset(cfg, &fb),
        sources,
        sizes,
        width,
        height,
    }
}

fn plain(picture: Picture, alt: &str) -> ImageView {
    ImageView {
        picture,
        alt: alt.to_string(),
        caption: String::new(),
        credit: String::new(),
        thumb: None,
        og: None,
    }
}

pub(crate) fn raster_view(cfg: &Config, r: &Raster, alt: &str) -> ImageView {
    plain(picture(cfg, &r.ladder, r.fallback(), super::SIZES), alt)
}

pub(crate) fn build(
    images: &Images,
    cfg: &Config,
    site_path: &str,
    alt: &str,
    caption: &str,
    credit: &str,
    focus: Option<Focus>,
) -> Option<ImageView> {
    let mut v = match images.get(site_path)? {
        Entry::Raster(r) => {
            let mut v = raster_view(cfg, r, alt);
            if let Some(f) = focus
                && let Some(lead) = images.leads.get(&(site_path.to_string(), f))
            {
                v.thumb = Some(picture(cfg, &lead.thumbs, r.fallback(), super::THUMB_SIZES));
                v.og = lead.og.as_ref().map(|o| OgView {
                    url: cfg.permalink(&o.path),
                    width: o.width,
                    height: o.height,
                });
            }
            v
        }
        Entry::Svg(size) => {
            let (width, height) = size.unwrap_or((0, 0));
            // A file name with a space (`team photo.svg`): the address holds `%20`; a `#` (a
            // figure's `src: /images/Logo %232.svg`) `%23`, not a fragment.
            let src = cfg.file_url(site_path);
            let p = Picture {
                poster: src.clone(),
                src,
                srcset: String::new(),
                sources: Vec::new(),
                sizes: "",
                width,
                height,
            };
            plain(p, alt)
        }
        Entry::NotImage(_) => return None,
    };
    v.caption = caption.to_string();
    v.credit = credit.to_string();
    Some(v)
}

/// `<picture>` (or a plain `<img>` for SVG) for a body image. `lazy`: every image but a page's
/// lead image.
pub(crate) fn picture_html(v: &ImageView, title: Option<&str>, lazy: bool) -> String {
    use crate::escape::escape_attr;
    let alt = &v.alt;
    let v = &v.picture;
    let mut out = String::new();
    let attr = |out: &mut String, name: &str, value: &str| {
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        escape_attr(out, value);
        out.push('"');
    };
    if !v.sources.is_empty() {
        out.push_str("<picture>");
        for s in &v.sources {
            out.push_str("<source");
            attr(&mut out, "type", s.mime);
            attr(&mut out, "srcset", &s.srcset);
            attr(&mut out, "sizes", v.sizes);
            out.push('>');
        }
    }
    out.push_str("<img");
    attr(&mut out, "src", &v.src);
    if !v.srcset.is_empty() {
        attr(&mut out, "srcset", &v.srcset);
        attr(&mut out, "sizes", v.sizes);
    }
    if v.width > 0 && v.height > 0 {
        attr(&mut out, "width", &v.width.to_string());
        attr(&mut out, "height", &v.height.to_string());
    }
    attr(&mut out, "alt", alt);
    if let Some(t) = title.filter(|t| !t.is_empty()) {
        attr(&mut out, "title", t);
    }
    if lazy {
        out.push_str(" loading=\"lazy\" decoding=\"async\"");
    } else {
        out.push_str(" fetchpriority=\"high\"");
    }
    out.push('>');
    if !v.sources.is_empty() {
        out.push_str("</picture>");
    }
    out
}
