//! Pixels: the only file that names the image crates. Decoding by content (never by extension),
//! EXIF orientation applied, colours converted to sRGB from an embedded ICC profile
//! (`colour.rs`; a CMYK or YCCK JPEG with its CMYK profile is read as inks through `zune-jpeg`,
//! the JPEG decoder `image` uses, and converted through that profile), metadata dropped (we re-encode from pixels, so nothing of the source file's
//! EXIF, XMP, ICC or GPS reaches the output), resizing and cropping (`fast_image_resize`),
//! and encoding (lossy WebP through libwebp, progressive optimised JPEG through `jpeg-encoder`,
//! PNG through `image`).

use std::io::Cursor;

use fast_image_resize as fr;
use image::{DynamicImage, ImageDecoder, ImageReader};

use super::colour;

/// The kind of a source file, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Jpeg,
    Png,
    Gif,
    Webp,
    Svg,
}

/// Whether `bytes` start as an HTML page (`<!doctype html`, `<html`), after a byte order mark
/// and blank space.
fn looks_like_html(bytes: &[u8]) -> bool {
    let b = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let head = &b[start..b.len().min(start + 14)];
    let lower = head.to_ascii_lowercase();
    lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html")
}

/// What the first bytes of a file say it is: an image kind, or a plain-words name of what it is
/// instead (for the error message).
pub(crate) fn sniff(bytes: &[u8]) -> Result<Kind, &'static str> {
    let starts = |m: &[u8]| bytes.starts_with(m);
    if starts(&[0xFF, 0xD8, 0xFF]) {
        Ok(Kind::Jpeg)
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Ok(Kind::Png)
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Ok(Kind::Gif)
    } else if bytes.len() >= 12 && starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Ok(Kind::Webp)
    } else if starts(b"%PDF") {
        Err("a PDF document")
    } else if starts(b"PK\x03\x04") {
        Err("a ZIP archive (or an Office document)")
    } else if bytes.len() >= 12 && bytes.get(4..8) == Some(b"ftyp") {
        let brand = bytes.get(8..12).unwrap_or_default();
        if brand == b"avif" || brand == b"heic" || brand == b"heix" || brand == b"mif1" {
            Err("an AVIF or HEIC image, which lmp cannot read yet")
        } else {
            Err("an MP4 or QuickTime video")
        }
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        Err("a TIFF image, which browsers do not show")
    } else if starts(b"BM") {
        Err("a BMP image, which lmp does not read")
    } else if looks_like_svg(bytes) {
        Ok(Kind::Svg)
    } else if bytes.is_empty() {
        Err("an empty file")
    } else if looks_like_html(bytes) {
        // Hostile author s22: a download that got an error or sign-in page instead of the
        // picture was "a text file".
        Err(
            "a web page (HTML) saved under a picture's name: the download got a page (an error or a sign-in page) instead of the picture",
        )
    } else if std::str::from_utf8(&bytes[..bytes.len().min(512)]).is_ok() {
        Err("a text file")
    } else {
        Err("not an image lmp can read (JPEG, PNG, GIF, WebP or SVG)")
    }
}

fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]);
    let head = head.trim_start_matches('\u{feff}').trim_start();
    (head.starts_with("<?xml") || head.starts_with("<svg") || head.starts_with("<!--"))
        && head.contains("<svg")
}

/// A decoded source: upright pixels (orientation applied), 8 bits per channel.
pub(crate) struct Decoded {
    pub image: DynamicImage,
    pub alpha: bool,
}

/// The most pixels `lmp` decodes (a 100-megapixel source is 300 MB of pixels): a header that
/// claims more is refused before anything is allocated (a 74-byte PNG can claim 10 gigapixels).
pub(crate) const MAX_DECODE_PIXELS: u64 = 100_000_000;

/// What the reason for a picture over [`MAX_DECODE_PIXELS`] says before the limit: such a
/// picture is "too large for lmp", not "not an image" (QA s7 Q106).
pub(crate) const TOO_LARGE: &str = "; lmp reads pictures of at most ";

/// The decoder of `bytes`, with limits: no allocation above what [`MAX_DECODE_PIXELS`] needs.
fn decoder(bytes: &[u8]) -> Result<impl ImageDecoder + '_, String> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut decoder = reader.into_decoder().map_err(describe)?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_DECODE_PIXELS * 4 + (64 << 20));
    decoder.set_limits(limits).map_err(describe)?;
    let (w, h) = decoder.dimensions();
    let pixels = u64::from(w) * u64::from(h);
    if pixels > MAX_DECODE_PIXELS {
        return Err(format!(
            "it is {w}×{h} pixels ({:.0} megapixels){TOO_LARGE}{} megapixels",
            pixels as f64 / 1e6,
            MAX_DECODE_PIXELS / 1_000_000
        ));
    }
    Ok(decoder)
}

/// How [`cut_short`]'s message starts.
pub(crate) const CUT_SHORT: &str = "the file is cut short";

/// "The file is cut short", with its size.
fn cut_short(bytes: &[u8]) -> Option<String> {
    Some(format!(
        "{CUT_SHORT} ({}: the end of the picture is missing)",
        crate::util::human_size(bytes.len() as u64)
    ))
}

/// Why a source is cut short, if it is, from its structure alone (nothing decoded): a JPEG
/// (see [`jpeg_truncated`]), a PNG whose chunks end before its `IEND` chunk, a WebP shorter
/// than its RIFF header says (an interrupted upload or copy; QA s7 Q103: `check` passed a
/// PNG cut short that `build` refused).
fn truncated(bytes: &[u8]) -> Option<String> {
    match sniff(bytes) {
        Ok(Kind::Jpeg) => jpeg_truncated(bytes),
        Ok(Kind::Png) => png_truncated(bytes),
        Ok(Kind::Gif) => gif_truncated(bytes),
        Ok(Kind::Webp) => {
            let declared = four(bytes, 4).map(|n| u32::from_le_bytes(n) as usize + 8)?;
            (bytes.len() < declared).then(|| cut_short(bytes)).flatten()
        }
        _ => None,
    }
}

/// A GIF is cut short when its first frame is (the only one lmp shows): its blocks end before
/// the first image's data ends (QA s7 Q103: `check` passed a GIF that `build` refused). A GIF
/// whose later frames or trailer are missing still shows its first frame, as in browsers.
fn gif_truncated(b: &[u8]) -> Option<String> {
    // Too short for a logical screen: the decoder's to name.
    b.get(10)?;
    match GifBlocks::new(b).next() {
        Some(GifBlock::Image { whole: true }) => None,
        // The first image's data, or the blocks before it, run past the end.
        Some(GifBlock::Image { whole: false } | GifBlock::Cut) => cut_short(b),
        // Anything else (a trailer before any image, an unknown block) is the decoder's to name.
        None => None,
    }
}

/// What [`GifBlocks`] finds, in file order (extensions are stepped over, not yielded).
#[derive(Debug, Clone, PartialEq, Eq)]
enum GifBlock {
    /// An image: `whole` when its data sub-blocks end inside the file.
    Image { whole: bool },
    /// The file ends before or inside a block (an extension's, or where the next block should
    /// start): always the last item.
    Cut,
}

/// The one walker over a GIF's blocks after the header and the global colour table, from
/// their structure alone: image descriptors (with their local colour table, LZW code size and
/// data sub-blocks) and extensions. It stops after a cut block, at the trailer or at an unknown
/// byte. [`gif_truncated`] reads its first item, [`gif_frames`] counts its images.
struct GifBlocks<'a> {
    b: &'a [u8],
    /// Where the next block starts; `None` once the walk has ended.
    at: Option<usize>,
}

impl<'a> GifBlocks<'a> {
    fn new(b: &'a [u8]) -> Self {
        let at = b.get(10).map(|&screen| 13 + Self::table(screen));
        GifBlocks { b, at }
    }

    /// The size of the colour table that `flags` (logical screen or image descriptor) declare:
    /// 3 × 2^(n+1) bytes.
    fn table(flags: u8) -> usize {
        if flags & 0x80 != 0 {
            3usize << ((flags & 7) + 1)
        } else {
            0
        }
    }

    /// Data sub-blocks from `i`: the index after the terminating empty block, if it is in the
    /// file.
    fn skip_blocks(&self, mut i: usize) -> Option<usize> {
        loop {
            let n = *self.b.get(i)? as usize;
            i += 1 + n;
            if n == 0 {
                return Some(i);
            }
        }
    }
}

impl Iterator for GifBlocks<'_> {
    type Item = GifBlock;

    fn next(&mut self) -> Option<GifBlock> {
        loop {
            let i = self.at.take()?;
            match self.b.get(i) {
                // Descriptor, local table, LZW minimum code size, then the data.
                Some(0x2C) => {
                    let end = self
                        .b
                        .get(i + 9)
                        .and_then(|&flags| self.skip_blocks(i + 10 + Self::table(flags) + 1));
                    self.at = end;
                    return Some(GifBlock::Image {
                        whole: end.is_some(),
                    });
                }
                Some(0x21) => match self.skip_blocks(i + 2) {
                    Some(next) => self.at = Some(next),
                    None => return Some(GifBlock::Cut),
                },
                None => return Some(GifBlock::Cut),
                // The trailer (0x3B), or a byte that starts no block.
                Some(_) => return None,
            }
        }
    }
}

fn png_truncated(bytes: &[u8]) -> Option<String> {
    let mut i = 8usize;
    loop {
        let (Some(len), Some(kind)) = (four(bytes, i), four(bytes, i.saturating_add(4))) else {
            return cut_short(bytes);
        };
        // Length, type, data, CRC.
        let next = i
            .saturating_add(12)
            .saturating_add(u32::from_be_bytes(len) as usize);
        if next > bytes.len() {
            return cut_short(bytes);
        }
        if &kind == b"IEND" {
            return None;
        }
        i = next;
    }
}

/// Why a JPEG is cut short, if it is: its segments and scans end before the end-of-image
/// marker. (The JPEG decoder fills a file cut short with grey and says nothing.)
fn jpeg_truncated(bytes: &[u8]) -> Option<String> {
    let short = || cut_short(bytes);
    let mut i = 2;
    loop {
        // A marker: 0xFF (fill bytes allowed), then its code.
        while bytes.get(i) == Some(&0xFF) && bytes.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        if bytes.get(i) != Some(&0xFF) {
            return short();
        }
        let code = *bytes.get(i + 1)?;
        i += 2;
        match code {
            0xD9 => return None,
            0x01 | 0xD0..=0xD7 => continue,
            _ => {}
        }
        let len = match (bytes.get(i), bytes.get(i + 1)) {
            (Some(&a), Some(&b)) => usize::from(a) << 8 | usize::from(b),
            _ => return short(),
        };
        i += len;
        if i > bytes.len() {
            return short();
        }
        if code == 0xDA {
            // Entropy-coded data: up to the next marker that is not a stuffed 0xFF00 or a
            // restart marker.
            loop {
                let Some(off) = bytes
                    .get(i..)
                    .and_then(|r| r.iter().position(|&b| b == 0xFF))
                else {
                    return short();
                };
                i += off;
                match bytes.get(i + 1) {
                    None => return short(),
                    Some(0x00 | 0xD0..=0xD7 | 0xFF) => i += 1,
                    Some(_) => break,
                }
            }
        }
    }
}

/// Whether `bytes` are a whole file of `format` as our encoders write it: the WebP's RIFF size
/// matches its length, a JPEG ends with its end-of-image marker after whole segments, a PNG ends
/// with its `IEND` chunk. (A cached output cut short must not be published.)
pub(crate) fn is_whole(bytes: &[u8], format: Format) -> bool {
    match format {
        Format::Webp => {
            bytes.get(..4) == Some(b"RIFF")
                && bytes.get(8..12) == Some(b"WEBP")
                && bytes
                    .get(4..8)
                    .and_then(|b| <[u8; 4]>::try_from(b).ok())
                    .is_some_and(|n| u32::from_le_bytes(n) as usize + 8 == bytes.len())
        }
        Format::Jpeg => sniff(bytes) == Ok(Kind::Jpeg) && jpeg_truncated(bytes).is_none(),
        Format::Png => {
            sniff(bytes) == Ok(Kind::Png)
                && bytes.ends_with(&[0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82])
        }
    }
}

/// Decode the whole image (the first frame of a GIF), apply its EXIF orientation.
/// What can be said of a source without decoding its pixels (`lmp check`): a JPEG, PNG or
/// WebP cut short (its header was read already).
pub(crate) fn looks_whole(bytes: &[u8]) -> Result<(), String> {
    truncated(bytes).map_or(Ok(()), Err)
}

pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    if let Some(why) = truncated(bytes) {
        return Err(why);
    }
    let mut decoder = decoder(bytes)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let icc = decoder.icc_profile().ok().flatten();
    if let Some(space) = jpeg_inks(bytes)
        && colour::tag(icc.as_deref(), colour::Pixels::Cmyk) != 0
    {
        let (w, h) = decoder.dimensions();
        drop(decoder);
        let inks = decode_inks(bytes, space)?;
        let rgb = colour::to_srgb(icc.as_deref(), colour::Pixels::Cmyk, &inks)
            .and_then(|px| image::RgbImage::from_raw(w, h, px))
            .ok_or("its CMYK colours could not be converted to sRGB")?;
        let mut image = DynamicImage::ImageRgb8(rgb);
        image.apply_orientation(orientation);
        return Ok(Decoded {
            image,
            alpha: false,
        });
    }
    let mut image = DynamicImage::from_decoder(decoder).map_err(describe)?;
    image.apply_orientation(orientation);
    let alpha = image.color().has_alpha();
    let pixels = pixels_of(image.color());
    let (w, h) = (image.width(), image.height());
    // Pixels in a profile other than sRGB are converted to sRGB (QA s6 Q94), from 8 bits.
    let data = match pixels {
        colour::Pixels::Grey => image.to_luma8().into_raw(),
        colour::Pixels::GreyAlpha => image.to_luma_alpha8().into_raw(),
        _ => Vec::new(),
    };
    let converted = match pixels {
        colour::Pixels::Grey | colour::Pixels::GreyAlpha => {
            colour::to_srgb(icc.as_deref(), pixels, &data)
        }
        _ => None,
    };
    drop(data);
    let image = match converted {
        Some(px) if alpha => image::RgbaImage::from_raw(w, h, px).map(DynamicImage::ImageRgba8),
        Some(px) => image::RgbImage::from_raw(w, h, px).map(DynamicImage::ImageRgb8),
        None if alpha => {
            let mut img = image.into_rgba8();
            colour::to_srgb_in_place(icc.as_deref(), colour::Pixels::Rgba, &mut img);
            Some(DynamicImage::ImageRgba8(img))
        }
        None => {
            let mut img = image.into_rgb8();
            colour::to_srgb_in_place(icc.as_deref(), colour::Pixels::Rgb, &mut img);
            Some(DynamicImage::ImageRgb8(img))
        }
    }
    .ok_or("its colours could not be converted to sRGB")?;
    Ok(Decoded { image, alpha })
}

/// Whether a JPEG is in printer's inks: CMYK, or YCCK (Photoshop's CMYK stored as luma, chroma
/// and black), from its header. `image` gives such a JPEG as RGB converted without its profile.
fn jpeg_inks(bytes: &[u8]) -> Option<zune_core::colorspace::ColorSpace> {
    use zune_core::colorspace::ColorSpace;
    if sniff(bytes) != Ok(Kind::Jpeg) {
        return None;
    }
    let mut d = zune_jpeg::JpegDecoder::new_with_options(
        zune_core::bytestream::ZCursor::new(bytes),
        zune_core::options::DecoderOptions::default().set_strict_mode(false),
    );
    d.decode_headers().ok()?;
    match d.input_colorspace()? {
        c @ (ColorSpace::CMYK | ColorSpace::YCCK) => Some(c),
        _ => None,
    }
}

/// The inks of a CMYK or YCCK JPEG, 4 bytes a pixel, 0 = no ink: Adobe's JPEGs (every CMYK
/// JPEG in practice) store CMYK inverted, and YCCK as the luma and chroma of the C, M and Y
/// inks with the black inverted.
fn decode_inks(bytes: &[u8], space: zune_core::colorspace::ColorSpace) -> Result<Vec<u8>, String> {
    let options = zune_core::options::DecoderOptions::default()
        .set_strict_mode(false)
        .set_max_width(usize::MAX)
        .set_max_height(usize::MAX)
        .jpeg_set_out_colorspace(space);
    let mut d = zune_jpeg::JpegDecoder::new_with_options(
        zune_core::bytestream::ZCursor::new(bytes),
        options,
    );
    let mut px = d
        .decode()
        .map_err(|e| format!("it cannot be decoded ({e:?})"))?;
    if space == zune_core::colorspace::ColorSpace::YCCK {
        for p in px.chunks_exact_mut(4) {
            let (y, cb, cr) = (
                f32::from(p[0]),
                f32::from(p[1]) - 128.0,
                f32::from(p[2]) - 128.0,
            );
            let to = |v: f32| v.round().clamp(0.0, 255.0) as u8;
            p[0] = to(y + 1.402 * cr);
            p[1] = to(y - 0.344_136 * cb - 0.714_136 * cr);
            p[2] = to(y + 1.772 * cb);
            p[3] = 255 - p[3];
        }
    } else {
        for v in &mut px {
            *v = 255 - *v;
        }
    }
    Ok(px)
}

/// The kind of pixels a colour type is, for the colour conversion.
fn pixels_of(c: image::ColorType) -> colour::Pixels {
    use image::ColorType::*;
    match c {
        L8 | L16 => colour::Pixels::Grey,
        La8 | La16 => colour::Pixels::GreyAlpha,
        c if c.has_alpha() => colour::Pixels::Rgba,
        _ => colour::Pixels::Rgb,
    }
}

fn describe(e: image::ImageError) -> String {
    match e {
        image::ImageError::Decoding(d) => format!("it cannot be decoded ({d})"),
        image::ImageError::Limits(l) => format!("it is too large to decode ({l})"),
        image::ImageError::Unsupported(u) => format!("its format is not supported ({u})"),
        other => other.to_string(),
    }
}

/// What the header says of a raster source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Header {
    /// Upright size.
    pub width: u32,
    pub height: u32,
    pub alpha: bool,
    /// Its colour profile's cache-key tag: 0 when its pixels are used as they are (see
    /// [`colour::tag`]).
    pub colour: u64,
}

/// The upright width and height, whether it has an alpha channel, and its colour profile's
/// tag, from the header alone.
pub(crate) fn header(bytes: &[u8]) -> Result<Header, String> {
    let mut decoder = decoder(bytes)?;
    let (w, h) = decoder.dimensions();
    if w == 0 || h == 0 {
        return Err("it has no pixels (width or height 0)".into());
    }
    let pixels = if jpeg_inks(bytes).is_some() {
        colour::Pixels::Cmyk
    } else {
        pixels_of(decoder.color_type())
    };
    let colour = colour::tag(decoder.icc_profile().ok().flatten().as_deref(), pixels);
    let alpha = decoder.color_type().has_alpha();
    use image::metadata::Orientation::*;
    let turned = matches!(
        decoder.orientation().unwrap_or(NoTransforms),
        Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH
    );
    let (width, height) = if turned { (h, w) } else { (w, h) };
    Ok(Header {
        width,
        height,
        alpha,
        colour,
    })
}

/// How many frames an image has, from its structure alone (nothing decoded): a GIF's image
/// descriptors, an animated PNG's `acTL` frame count, an animated WebP's `ANMF` chunks; 1 for a
/// still picture and for a JPEG. Counting stops at [`FRAMES_COUNTED`]. The output keeps only
/// the first frame (QA s5 Q60), so a picture with more is a warning where it is used.
pub(crate) fn frames(kind: Kind, b: &[u8]) -> u32 {
    match kind {
        Kind::Gif => gif_frames(b),
        Kind::Png => png_frames(b),
        Kind::Webp => webp_frames(b),
        Kind::Jpeg | Kind::Svg => 1,
    }
    .clamp(1, FRAMES_COUNTED)
}

/// Frame counts above this are reported as this ("1000 frames or more").
pub(crate) const FRAMES_COUNTED: u32 = 1000;

/// The images of a GIF ([`GifBlocks`]), the last one counted even when it is cut.
fn gif_frames(b: &[u8]) -> u32 {
    if b.get(10).is_none() {
        return 1;
    }
    GifBlocks::new(b)
        .filter(|x| matches!(x, GifBlock::Image { .. }))
        .take(FRAMES_COUNTED as usize)
        .count() as u32
}

/// The 4 bytes at `i`, if the file has them.
fn four(b: &[u8], i: usize) -> Option<[u8; 4]> {
    b.get(i..i.checked_add(4)?)?.try_into().ok()
}

fn png_frames(b: &[u8]) -> u32 {
    let mut i = 8usize;
    loop {
        let (Some(len), Some(kind)) = (four(b, i), four(b, i.saturating_add(4))) else {
            return 1;
        };
        match &kind {
            b"acTL" => {
                return four(b, i.saturating_add(8)).map_or(1, u32::from_be_bytes);
            }
            // The animation control chunk comes before the image data.
            b"IDAT" | b"IEND" => return 1,
            _ => {
                i = i
                    .saturating_add(12)
                    .saturating_add(u32::from_be_bytes(len) as usize)
            }
        }
    }
}

fn webp_frames(b: &[u8]) -> u32 {
    let mut i = 12usize;
    let mut frames = 0u32;
    while frames < FRAMES_COUNTED {
        let (Some(kind), Some(len)) = (four(b, i), four(b, i.saturating_add(4))) else {
            break;
        };
        if &kind == b"ANMF" {
            frames += 1;
        }
        let len = u32::from_le_bytes(len) as usize;
        // Chunks are padded to an even size.
        i = i
            .saturating_add(8)
            .saturating_add(len)
            .saturating_add(len & 1);
    }
    frames
}

/// The output format of one variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Format {
    Webp,
    Jpeg,
    Png,
}

impl Format {
    pub(crate) fn ext(self) -> &'static str {
        match self {
            Format::Webp => "webp",
            Format::Jpeg => "jpg",
            Format::Png => "png",
        }
    }

    pub(crate) fn mime(self) -> &'static str {
        match self {
            Format::Webp => "image/webp",
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
        }
    }
}

/// WebP quality (libwebp 0–100) and JPEG quality (1–100): chosen by eye on the sample photos;
/// both are part of every cache key.
pub(crate) const WEBP_QUALITY: f32 = 72.0;
pub(crate) const JPEG_QUALITY: u8 = 76;

/// A region of the source and the size to scale it to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Geometry {
    pub crop: (u32, u32, u32, u32),
    pub width: u32,
    pub height: u32,
}

/// Crop and scale, then encode.
pub(crate) fn render(src: &Decoded, g: Geometry, format: Format) -> Result<Vec<u8>, String> {
    let (pixel_type, channels) = if src.alpha {
        (fr::PixelType::U8x4, 4)
    } else {
        (fr::PixelType::U8x3, 3)
    };
    let (sw, sh) = (src.image.width(), src.image.height());
    let buf = src.image.as_bytes();
    let (cx, cy, cw, ch) = g.crop;
    let pixels = if (cx, cy, cw, ch) == (0, 0, sw, sh) && (g.width, g.height) == (sw, sh) {
        buf.to_vec()
    } else {
        let src_view =
            fr::images::ImageRef::new(sw, sh, buf, pixel_type).map_err(|e| e.to_string())?;
        let mut dst = fr::images::Image::new(g.width, g.height, pixel_type);
        let opts = fr::ResizeOptions::new()
            .resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3))
            .crop(cx as f64, cy as f64, cw as f64, ch as f64);
        fr::Resizer::new()
            .resize(&src_view, &mut dst, &opts)
            .map_err(|e| e.to_string())?;
        dst.into_vec()
    };
    debug_assert_eq!(pixels.len(), (g.width * g.height) as usize * channels);
    encode(&pixels, g.width, g.height, src.alpha, format)
}

/// PNG of opaque RGB pixels (the generated share cards): fast compression (measured on a card:
/// 22 ms and 59 kB against 62 ms and 30 kB for `Best`; only crawlers fetch a card).
pub(crate) fn encode_png_rgb(pixels: &[u8], w: u32, h: u32) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let enc = image::codecs::png::PngEncoder::new_with_quality(
        &mut out,
        image::codecs::png::CompressionType::Fast,
        image::codecs::png::FilterType::Adaptive,
    );
    image::ImageEncoder::write_image(enc, pixels, w, h, image::ExtendedColorType::Rgb8)
        .map_err(|e| format!("PNG encoding failed: {e}"))?;
    Ok(out)
}

fn encode(pixels: &[u8], w: u32, h: u32, alpha: bool, format: Format) -> Result<Vec<u8>, String> {
    match format {
        Format::Webp => {
            let enc = if alpha {
                webp::Encoder::from_rgba(pixels, w, h)
            } else {
                webp::Encoder::from_rgb(pixels, w, h)
            };
            let mut config =
                webp::WebPConfig::new().map_err(|_| "libwebp: bad configuration".to_string())?;
            config.quality = WEBP_QUALITY;
            config.method = 4;
            config.alpha_compression = 1;
            let mem = enc
                .encode_advanced(&config)
                .map_err(|e| format!("WebP encoding failed: {e:?}"))?;
            Ok(mem.to_vec())
        }
        Format::Jpeg => {
            let mut out = Vec::new();
            let mut enc = jpeg_encoder::Encoder::new(&mut out, JPEG_QUALITY);
            enc.set_progressive(true);
            enc.set_optimized_huffman_tables(true);
            let w16 = u16::try_from(w).map_err(|_| "too wide for JPEG".to_string())?;
            let h16 = u16::try_from(h).map_err(|_| "too tall for JPEG".to_string())?;
            // JPEG has no transparency: a transparent pixel would come out black (a dark logo
            // on black), so the picture is laid on white first.
            let flat;
            let pixels = if alpha {
                flat = on_white(pixels);
                flat.as_slice()
            } else {
                pixels
            };
            enc.encode(pixels, w16, h16, jpeg_encoder::ColorType::Rgb)
                .map_err(|e| format!("JPEG encoding failed: {e}"))?;
            Ok(out)
        }
        Format::Png => {
            let mut out = Vec::new();
            let ct = if alpha {
                image::ExtendedColorType::Rgba8
            } else {
                image::ExtendedColorType::Rgb8
            };
            let enc = image::codecs::png::PngEncoder::new_with_quality(
                &mut out,
                image::codecs::png::CompressionType::Best,
                image::codecs::png::FilterType::Adaptive,
            );
            image::ImageEncoder::write_image(enc, pixels, w, h, ct)
                .map_err(|e| format!("PNG encoding failed: {e}"))?;
            Ok(out)
        }
    }
}

/// RGBA pixels laid on a white background, as RGB (integer arithmetic: the same bytes everywhere).
fn on_white(rgba: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(rgba.len() / 4 * 3);
    for p in rgba.chunks_exact(4) {
        let a = u32::from(p[3]);
        for &c in &p[..3] {
            out.push(((u32::from(c) * a + 255 * (255 - a) + 127) / 255) as u8);
        }
    }
    out
}

/// Width and height of an SVG from its `width`/`height` attributes (px or unitless) or its
/// `viewBox`; `None` when it declares neither.
pub(crate) fn svg_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let text = std::str::from_utf8(bytes).ok()?;
    let start = text.find("<svg")?;
    let end = start + text[start..].find('>')?;
    let tag = &text[start..end];
    let attr = |name: &str| -> Option<&str> {
        let mut rest = tag;
        loop {
            let i = rest.find(name)?;
            let before = rest[..i].chars().last();
            rest = &rest[i + name.len()..];
            if before.is_some_and(|c| c.is_whitespace()) {
                let r = rest.trim_start();
                if let Some(r) = r.strip_prefix('=') {
                    let r = r.trim_start();
                    let q = r.chars().next()?;
                    if q == '"' || q == '\'' {
                        let v = &r[1..];
                        return Some(&v[..v.find(q)?]);
                    }
                }
            }
        }
    };
    let px = |v: &str| -> Option<f64> {
        let v = v.trim().trim_end_matches("px");
        v.parse::<f64>().ok().filter(|x| *x > 0.0 && x.is_finite())
    };
    if let (Some(w), Some(h)) = (attr("width").and_then(px), attr("height").and_then(px)) {
        return Some((w.round() as u32, h.round() as u32));
    }
    let vb: Vec<f64> = attr("viewBox")?
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    match vb.as_slice() {
        [_, _, w, h] if *w > 0.0 && *h > 0.0 => Some((w.round() as u32, h.round() as u32)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A GIF of `n` frames (image's encoder writes a global table, a loop extension and a
    /// graphic control extension per frame: every block kind the counter skips).
    pub(crate) fn gif(n: usize) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut enc = image::codecs::gif::GifEncoder::new(&mut out);
            enc.set_repeat(image::codecs::gif::Repeat::Infinite)
                .unwrap();
            let frames = (0..n).map(|i| {
                let img = image::RgbaImage::from_fn(30, 20, |x, _| {
                    image::Rgba([(x as u8).wrapping_mul(8), i as u8 * 60, 90, 255])
                });
                image::Frame::new(img)
            });
            enc.encode_frames(frames).unwrap();
        }
        out
    }

    #[test]
    fn a_gif_cut_in_its_first_frame_is_said_so_without_decoding() {
        let one = gif(1);
        assert_eq!(looks_whole(&one), Ok(()));
        assert!(decode(&one).is_ok());
        // Every cut inside the first frame (after the header) is named; the check agrees
        // with the decoder on each.
        for cut in [13, 20, one.len() / 2, one.len() - 3] {
            let short = &one[..cut];
            let e = looks_whole(short).expect_err(&format!("cut at {cut}"));
            assert!(e.starts_with("the file is cut short"), "{e}");
            assert!(decode(short).is_err(), "cut at {cut}");
        }
        // Only the trailer missing, or a later frame cut: the first frame is shown.
        assert_eq!(looks_whole(&one[..one.len() - 1]), Ok(()));
        assert!(decode(&one[..one.len() - 1]).is_ok());
        assert!(decode(three_cut(&gif(3))).is_ok());
        let three = gif(3);
        assert_eq!(looks_whole(three_cut(&three)), Ok(()));
    }

    /// The one block walker answers both questions alike on every prefix of a GIF (review:
    /// `gif_truncated` had a copy of `gif_frames`' walkers): from the first length at which the
    /// first frame is whole the file is never called cut short, the decoder shows that prefix,
    /// and the frames counted never go down as the file grows, to 3 for the whole file.
    #[test]
    fn one_gif_walker_counts_frames_and_finds_a_cut_first_frame_on_every_prefix() {
        let three = gif(3);
        let mut counted = 0;
        let mut whole_from = None;
        for n in 11..=three.len() {
            let b = &three[..n];
            let f = frames(Kind::Gif, b);
            assert!(f >= counted, "{f} frames at {n} bytes, {counted} before");
            counted = f;
            match (gif_truncated(b), whole_from) {
                (None, None) => whole_from = Some(n),
                (Some(e), Some(w)) => panic!("cut short at {n} bytes ({e}), whole at {w}"),
                _ => {}
            }
        }
        assert_eq!(counted, 3);
        let w = whole_from.expect("the whole file is not cut short");
        assert!(w < three.len() / 2, "the first of three frames ends at {w}");
        assert!(
            decode(&three[..w]).is_ok(),
            "the first frame shows at {w} bytes"
        );
        assert_eq!(
            GifBlocks::new(&three).collect::<Vec<_>>(),
            vec![GifBlock::Image { whole: true }; 3]
        );
    }

    /// A three-frame GIF cut in its last frame.
    fn three_cut(g: &[u8]) -> &[u8] {
        &g[..g.len() - 20]
    }

    #[test]
    fn frames_are_counted_from_the_structure() {
        assert_eq!(frames(Kind::Gif, &gif(1)), 1);
        assert_eq!(frames(Kind::Gif, &gif(3)), 3);
        // Cut short: what is there is counted, nothing panics.
        let three = gif(3);
        for cut in [0, 6, 13, 40, three.len() / 2, three.len() - 1] {
            assert!(frames(Kind::Gif, &three[..cut]) <= 3);
        }
        // An animated PNG says its frame count in `acTL`, before the image data.
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let chunk = |out: &mut Vec<u8>, kind: &[u8], data: &[u8]| {
            out.extend((data.len() as u32).to_be_bytes());
            out.extend(kind);
            out.extend(data);
            out.extend([0; 4]);
        };
        chunk(&mut png, b"IHDR", &[0; 13]);
        let mut still = png.clone();
        chunk(&mut still, b"IDAT", &[0; 5]);
        assert_eq!(frames(Kind::Png, &still), 1);
        chunk(&mut png, b"acTL", &[0, 0, 0, 4, 0, 0, 0, 0]);
        chunk(&mut png, b"IDAT", &[0; 5]);
        assert_eq!(frames(Kind::Png, &png), 4);
        // An animated WebP has one ANMF chunk per frame (chunks padded to even sizes).
        let mut webp = b"RIFF\0\0\0\0WEBP".to_vec();
        for (kind, len) in [(b"VP8X", 10u32), (b"ANIM", 6), (b"ANMF", 17), (b"ANMF", 17)] {
            webp.extend(kind);
            webp.extend(len.to_le_bytes());
            webp.extend(vec![0; (len + (len & 1)) as usize]);
        }
        assert_eq!(frames(Kind::Webp, &webp), 2);
        assert_eq!(frames(Kind::Jpeg, b"\xFF\xD8\xFF"), 1);
        // A header that claims huge chunks ends the walk.
        let mut huge = b"RIFF\0\0\0\0WEBPANMF\xff\xff\xff\xff".to_vec();
        huge.extend([0; 8]);
        assert_eq!(frames(Kind::Webp, &huge), 1);
    }

    #[test]
    fn a_jpeg_of_a_transparent_picture_is_laid_on_white_not_black() {
        // Half transparent, half opaque dark blue (a logo on a transparent background).
        let img = image::RgbaImage::from_fn(40, 20, |x, _| {
            if x < 20 {
                image::Rgba([0, 0, 0, 0])
            } else {
                image::Rgba([10, 20, 120, 255])
            }
        });
        let src = Decoded {
            image: DynamicImage::ImageRgba8(img),
            alpha: true,
        };
        let g = Geometry {
            crop: (0, 0, 40, 20),
            width: 40,
            height: 20,
        };
        let jpeg = render(&src, g, Format::Jpeg).unwrap();
        let back = image::load_from_memory(&jpeg).unwrap().into_rgb8();
        let [r, g2, b] = back.get_pixel(5, 10).0;
        assert!(
            r > 240 && g2 > 240 && b > 240,
            "transparent became {r},{g2},{b}"
        );
        let [r, _, b] = back.get_pixel(35, 10).0;
        assert!(r < 40 && b > 90, "the drawing stays: {r},{b}");
        assert_eq!(on_white(&[200, 100, 0, 128]), vec![227, 177, 127]);
    }

    /// A CMYK JPEG 64×32 (inks, 0 = none), left half `left`, right half `right`, written as
    /// Photoshop writes them (Adobe marker, inverted), as YCCK when `ycck`, with `icc` embedded
    /// and, when `turned`, an EXIF orientation 6 (turn 90° clockwise to view).
    pub(crate) fn cmyk_jpeg(
        left: [u8; 4],
        right: [u8; 4],
        icc: Option<&[u8]>,
        ycck: bool,
        turned: bool,
    ) -> Vec<u8> {
        let (w, h) = (64u16, 32u16);
        let px: Vec<u8> = (0..h)
            .flat_map(|_| (0..w).flat_map(|x| if x < w / 2 { left } else { right }))
            .collect();
        let mut out = Vec::new();
        let mut enc = jpeg_encoder::Encoder::new(&mut out, 95);
        if let Some(icc) = icc {
            enc.add_icc_profile(icc).unwrap();
        }
        if turned {
            let mut app1 = b"Exif\0\0II*\0\x08\0\0\0\x01\0".to_vec();
            app1.extend([0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0]);
            enc.add_app_segment(1, &app1).unwrap();
        }
        let kind = if ycck {
            jpeg_encoder::ColorType::CmykAsYcck
        } else {
            jpeg_encoder::ColorType::Cmyk
        };
        enc.encode(&px, w, h, kind).unwrap();
        out
    }

    #[test]
    fn a_cmyk_or_ycck_jpeg_is_converted_through_its_cmyk_profile() {
        let icc = colour::tests::TEST_CMYK;
        let rgb = |bytes: &[u8], x: u32, y: u32| {
            let d = decode(bytes).unwrap();
            assert!(!d.alpha);
            d.image.to_rgb8().get_pixel(x, y).0
        };
        let near = |got: [u8; 3], want: [u8; 3], what: &str| {
            assert!(
                got.iter().zip(want).all(|(a, b)| a.abs_diff(b) <= 6),
                "{what}: got {got:?}, want {want:?}"
            );
        };
        let cyan = [255, 0, 0, 0];
        let magenta = [0, 255, 0, 0];
        for ycck in [false, true] {
            let what = if ycck { "YCCK" } else { "CMYK" };
            let f = cmyk_jpeg(cyan, magenta, Some(icc), ycck, false);
            // LittleCMS on the profile: the press's cyan (38, 160, 226), magenta (231, 49, 149).
            near(rgb(&f, 8, 16), [38, 160, 226], &format!("{what} cyan"));
            near(rgb(&f, 56, 16), [231, 49, 149], &format!("{what} magenta"));
            let h = header(&f).unwrap();
            assert_ne!(h.colour, 0, "{what}: the profile is in the cache key");
            assert_eq!((h.width, h.height, h.alpha), (64, 32, false));
            // Without a profile: the plain conversion, as browsers show it.
            let plain = cmyk_jpeg(cyan, magenta, None, ycck, false);
            near(
                rgb(&plain, 8, 16),
                [0, 255, 255],
                &format!("{what} cyan, no profile"),
            );
            assert_eq!(header(&plain).unwrap().colour, 0);
        }
        // Upright: the EXIF orientation is applied to the converted pixels.
        let turned = cmyk_jpeg(cyan, magenta, Some(icc), false, true);
        let d = decode(&turned).unwrap();
        assert_eq!((d.image.width(), d.image.height()), (32, 64));
        assert_eq!(
            (
                header(&turned).unwrap().width,
                header(&turned).unwrap().height
            ),
            (32, 64)
        );
        // Turned clockwise, the left half (cyan) is on top.
        near(rgb(&turned, 16, 8), [38, 160, 226], "turned cyan on top");
        near(rgb(&turned, 16, 56), [231, 49, 149], "turned magenta below");
    }

    #[test]
    fn a_grey_jpeg_with_a_grey_profile_is_converted_to_srgb() {
        use image::ImageEncoder;
        let img = image::GrayImage::from_pixel(64, 32, image::Luma([100]));
        let encode = |icc: Option<Vec<u8>>| {
            let mut out = Vec::new();
            let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 95);
            if let Some(icc) = icc {
                enc.set_icc_profile(icc).unwrap();
            }
            enc.write_image(&img, 64, 32, image::ExtendedColorType::L8)
                .unwrap();
            out
        };
        let grey = moxcms::ColorProfile::new_gray_with_gamma(1.8)
            .encode()
            .unwrap();
        let tagged = encode(Some(grey));
        let h = header(&tagged).unwrap();
        assert_ne!(h.colour, 0);
        let d = decode(&tagged).unwrap();
        let px = d.image.as_rgb8().unwrap().get_pixel(10, 10).0;
        // (100/255)^1.8 linear is 119 in sRGB.
        assert!(px.iter().all(|&c| c.abs_diff(119) <= 2), "{px:?}");
        let plain = encode(None);
        assert_eq!(header(&plain).unwrap().colour, 0);
        let px = decode(&plain)
            .unwrap()
            .image
            .as_rgb8()
            .unwrap()
            .get_pixel(10, 10)
            .0;
        assert!(px.iter().all(|&c| c.abs_diff(100) <= 1), "{px:?}");
    }

    #[test]
    fn sniffs_by_content() {
        assert!(
            sniff(b"\xef\xbb\xbf\n  <!DOCTYPE html><html><title>Sign in</title>")
                .is_err_and(|e| e.starts_with("a web page (HTML)"))
        );
        assert!(
            sniff(b"<HTML><body>404</body></HTML>").is_err_and(|e| e.starts_with("a web page"))
        );
        assert_eq!(sniff(b"Huddle checklist\n- Measures\n"), Err("a text file"));
        assert_eq!(sniff(b"%PDF-1.4 ..."), Err("a PDF document"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Ok(Kind::Png));
        assert_eq!(sniff(b"<svg xmlns='x' width='3'/>"), Ok(Kind::Svg));
        assert_eq!(sniff(b""), Err("an empty file"));
    }

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let img =
            image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 7) as u8, (y * 5) as u8, 90]));
        let mut out = Vec::new();
        img.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
            &mut out, 90,
        ))
        .unwrap();
        out
    }

    #[test]
    fn a_jpeg_cut_short_is_an_error_not_a_grey_picture() {
        let whole = jpeg(300, 200);
        assert!(decode(&whole).is_ok());
        assert_eq!(jpeg_truncated(&whole), None);
        // Bytes after the end marker (some cameras append data) are fine.
        let mut tail = whole.clone();
        tail.extend(b"trailing data");
        assert_eq!(jpeg_truncated(&tail), None);
        for cut in [whole.len() - 2, whole.len() / 2, 700, 30] {
            let e = decode(&whole[..cut]).err().unwrap_or_default();
            assert!(
                e.starts_with("the file is cut short"),
                "cut at {cut}: {e:?}"
            );
        }
    }

    #[test]
    fn a_png_or_webp_cut_short_is_said_so_without_decoding() {
        let img = image::RgbImage::from_fn(200, 120, |x, y| image::Rgb([x as u8, y as u8, 7]));
        let mut png = Vec::new();
        img.write_with_encoder(image::codecs::png::PngEncoder::new(&mut png))
            .unwrap();
        assert_eq!(looks_whole(&png), Ok(()));
        assert!(decode(&png).is_ok());
        // Trailing bytes after IEND are fine.
        let mut tail = png.clone();
        tail.extend(b"junk");
        assert_eq!(looks_whole(&tail), Ok(()));
        for cut in [png.len() - 12, png.len() - 1, png.len() / 2, 40, 9] {
            let e = looks_whole(&png[..cut]).unwrap_err();
            assert!(e.starts_with("the file is cut short"), "cut at {cut}: {e}");
            // `build` says the same as `check`.
            assert_eq!(decode(&png[..cut]).err(), Some(e), "cut at {cut}");
        }
        let mut webp = b"RIFF".to_vec();
        webp.extend(100u32.to_le_bytes());
        webp.extend(b"WEBPVP8 ");
        webp.extend([0; 40]);
        let e = looks_whole(&webp).unwrap_err();
        assert!(e.starts_with("the file is cut short"), "{e}");
    }

    #[test]
    fn a_header_claiming_gigapixels_is_refused_before_decoding() {
        // A PNG of 100000×100000 pixels: its header and a tiny IDAT (74 bytes).
        let png = hostile_png::png_claiming(100_000, 100_000);
        let e = header(&png).unwrap_err();
        assert!(
            e.contains("100000×100000 pixels (10000 megapixels); lmp reads pictures of at most 100 megapixels"),
            "{e}"
        );
        assert!(decode(&png).is_err());
    }

    mod hostile_png {
        include!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/support/hostile_png.rs"
        ));
    }

    #[test]
    fn svg_sizes() {
        assert_eq!(
            svg_size(br#"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40px">"#),
            Some((120, 40))
        );
        assert_eq!(
            svg_size(br#"<svg viewBox="0 0 300 150" xmlns="http://www.w3.org/2000/svg">"#),
            Some((300, 150))
        );
        assert_eq!(svg_size(br#"<svg width="100%" height="100%">"#), None);
    }
}
