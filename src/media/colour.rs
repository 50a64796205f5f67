//! Colour: the only file that names the colour engine (`moxcms`). A photo whose embedded ICC
//! profile is not sRGB (an iPhone's Display P3, a camera's or photographer's Adobe RGB, a grey
//! profile) has its pixels converted to sRGB when it is decoded, before any output is made, so
//! every size, format and crop (the share card included) shows the colours the photo has; the
//! outputs carry no profile, and browsers show untagged pictures as sRGB (QA s6 Q94: the profile
//! was dropped without conversion and colours came out dull and shifted).
//!
//! A profile that maps every probe colour to itself within one code value (the sRGB profiles
//! cameras and Android phones embed, in any of their ICC versions) is treated as no profile: the
//! pixels are used as they are, and the cache keys of such photos did not change with this
//! module. For the others, [`tag`] gives a digest of the profile that goes into the cache key,
//! so an output made before the conversion existed is never reused.
//!
//! A CMYK or YCCK JPEG (a print shop's file, a Photoshop export in CMYK) with its CMYK profile
//! is read as its inks and converted through that profile ([`Pixels::Cmyk`], perceptual intent:
//! the profile's A2B0 table, which is what browsers use for such a JPEG): a press's cyan
//! (C 100 %) comes out as the profile's blue-cyan, not as the screen's pure (0, 255, 255). A CMYK
//! JPEG without a profile (or with one that cannot be read) keeps the decoder's plain
//! conversion (red = (1 − C)(1 − K), …), which is also what browsers show for it.
//!
//! Why `moxcms`: it is already in the tree (the `image` crate uses it for its CICP conversions),
//! pure Rust, reads ICC v2 and v4 matrix/TRC and LUT profiles, and its 8-bit matrix-shaper path
//! works in fixed point, so the same pixels come out on every machine. Measured against `qcms`
//! and `lcms2` in the README ("Images").

use moxcms::{ColorProfile, DataColorSpace, Layout, RenderingIntent, TransformOptions};

/// Part of the cache key of a converted photo: bump when the conversion changes.
pub(crate) const VERSION: u32 = 1;

/// What the decoded pixels are, for choosing a conversion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pixels {
    Grey,
    GreyAlpha,
    Rgb,
    Rgba,
    /// Inks of a CMYK or YCCK JPEG, 4 bytes a pixel, 0 = no ink (the ICC convention; Adobe's
    /// JPEGs store them inverted): converted to RGB.
    Cmyk,
}

impl Pixels {
    fn layout(self) -> Layout {
        match self {
            Pixels::Grey => Layout::Gray,
            Pixels::GreyAlpha => Layout::GrayAlpha,
            Pixels::Rgb => Layout::Rgb,
            Pixels::Rgba | Pixels::Cmyk => Layout::Rgba,
        }
    }

    fn grey(self) -> bool {
        matches!(self, Pixels::Grey | Pixels::GreyAlpha)
    }

    /// The layout of the converted pixels: always colour, alpha kept.
    fn out(self) -> Layout {
        match self {
            Pixels::Grey | Pixels::Rgb | Pixels::Cmyk => Layout::Rgb,
            Pixels::GreyAlpha | Pixels::Rgba => Layout::Rgba,
        }
    }
}

type Transform = moxcms::Transform8BitExecutor;

/// The conversion of `icc` to sRGB for `pixels`, when it changes anything. `None` for no
/// profile, an sRGB one, a profile of another kind of pixels (a CMYK profile on pixels the
/// decoder already made RGB) or one that cannot be read: those pixels are used as they are.
fn transform(icc: &[u8], pixels: Pixels) -> Option<Box<Transform>> {
    let profile = ColorProfile::new_from_slice(icc).ok()?;
    let fits = match profile.color_space {
        DataColorSpace::Gray => pixels.grey(),
        DataColorSpace::Rgb => matches!(pixels, Pixels::Rgb | Pixels::Rgba),
        DataColorSpace::Cmyk => pixels == Pixels::Cmyk,
        _ => false,
    };
    if !fits {
        return None;
    }
    let options = TransformOptions {
        rendering_intent: if pixels == Pixels::Cmyk {
            RenderingIntent::Perceptual
        } else {
            RenderingIntent::RelativeColorimetric
        },
        prefer_fixed_point: true,
        ..TransformOptions::default()
    };
    let t = profile
        .create_transform_8bit(
            pixels.layout(),
            &ColorProfile::new_srgb(),
            pixels.out(),
            options,
        )
        .ok()?;
    (pixels == Pixels::Cmyk || !is_identity(t.as_ref(), pixels)).then_some(t)
}

/// Whether a transform maps every probe colour to itself within one code value: a grid of
/// 9×9×9 colours (every grey level for a grey profile).
fn is_identity(t: &Transform, pixels: Pixels) -> bool {
    const STEPS: [u8; 9] = [0, 16, 48, 80, 112, 144, 176, 224, 255];
    let (input, expect): (Vec<u8>, Vec<u8>) = if pixels.grey() {
        let levels: Vec<u8> = (0..=255).collect();
        let expect = levels.iter().flat_map(|&v| [v, v, v]).collect();
        (levels, expect)
    } else {
        let grid: Vec<u8> = STEPS
            .iter()
            .flat_map(|&r| {
                STEPS
                    .iter()
                    .flat_map(move |&g| STEPS.iter().flat_map(move |&b| [r, g, b]))
            })
            .collect();
        (grid.clone(), grid)
    };
    // Probe with the alpha-less layouts' sizes: add an opaque alpha where the layout has one.
    let (input, expect) = match pixels {
        Pixels::GreyAlpha => (
            input.iter().flat_map(|&v| [v, 255]).collect(),
            expect
                .chunks_exact(3)
                .flat_map(|c| [c[0], c[1], c[2], 255])
                .collect(),
        ),
        Pixels::Rgba => (
            input
                .chunks_exact(3)
                .flat_map(|c| [c[0], c[1], c[2], 255])
                .collect(),
            expect
                .chunks_exact(3)
                .flat_map(|c| [c[0], c[1], c[2], 255])
                .collect::<Vec<u8>>(),
        ),
        _ => (input, expect),
    };
    let mut out = vec![0u8; expect.len()];
    if t.transform(&input, &mut out).is_err() {
        return false;
    }
    out.iter().zip(&expect).all(|(a, b)| a.abs_diff(*b) <= 1)
}

/// The cache-key tag of a source with this profile: 0 when its pixels are used as they are,
/// otherwise a digest of the profile (never 0).
pub(crate) fn tag(icc: Option<&[u8]>, pixels: Pixels) -> u64 {
    match icc {
        Some(icc) if transform(icc, pixels).is_some() => xxhash_rust::xxh3::xxh3_64(icc).max(1),
        _ => 0,
    }
}

/// Pixels converted to sRGB (grey ones become RGB), or `None` when they are used as they are
/// (see [`tag`]).
pub(crate) fn to_srgb(icc: Option<&[u8]>, pixels: Pixels, data: &[u8]) -> Option<Vec<u8>> {
    let t = transform(icc?, pixels)?;
    let (inc, outc) = channels(pixels);
    let mut out = vec![0u8; data.len() / inc * outc];
    for (i, o) in data.chunks(SLICE * inc).zip(out.chunks_mut(SLICE * outc)) {
        t.transform(i, o).ok()?;
    }
    Some(out)
}

/// RGB or RGBA pixels converted to sRGB in place, a slice at a time (no second copy of the
/// picture); false when they are used as they are (see [`tag`]).
pub(crate) fn to_srgb_in_place(icc: Option<&[u8]>, pixels: Pixels, data: &mut [u8]) -> bool {
    let (inc, outc) = channels(pixels);
    if inc != outc {
        return false;
    }
    let Some(t) = icc.and_then(|icc| transform(icc, pixels)) else {
        return false;
    };
    let mut tmp = vec![0u8; SLICE * outc];
    for chunk in data.chunks_mut(SLICE * inc) {
        let o = &mut tmp[..chunk.len()];
        if t.transform(chunk, o).is_err() {
            return false;
        }
        chunk.copy_from_slice(o);
    }
    true
}

/// Pixels per slice of a conversion.
const SLICE: usize = 1 << 14;

/// Bytes per pixel in and out.
fn channels(pixels: Pixels) -> (usize, usize) {
    match pixels {
        Pixels::Grey => (1, 3),
        Pixels::GreyAlpha => (2, 4),
        Pixels::Rgb => (3, 3),
        Pixels::Rgba => (4, 4),
        Pixels::Cmyk => (4, 3),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// ICC profiles written by the colour engine: Display P3 (sRGB's curve, wider primaries),
    /// Adobe RGB (1998) and sRGB. The expected values below come from another engine.
    pub(crate) fn display_p3() -> Vec<u8> {
        let mut p = ColorProfile::new_display_p3();
        p.cicp = None;
        p.encode().unwrap()
    }

    pub(crate) fn adobe_rgb() -> Vec<u8> {
        ColorProfile::new_adobe_rgb().encode().unwrap()
    }

    fn srgb() -> Vec<u8> {
        let mut p = ColorProfile::new_srgb();
        p.cicp = None;
        p.encode().unwrap()
    }

    fn one(icc: &[u8], rgb: [u8; 3]) -> [u8; 3] {
        let out = to_srgb(Some(icc), Pixels::Rgb, &rgb).expect("converted");
        [out[0], out[1], out[2]]
    }

    fn near(got: [u8; 3], want: [u8; 3], what: &str) {
        assert!(
            got.iter().zip(want).all(|(a, b)| a.abs_diff(b) <= 2),
            "{what}: got {got:?}, want {want:?} (±2)"
        );
    }

    #[test]
    fn wide_gamut_colours_come_out_as_their_srgb_values() {
        // Reference values: LittleCMS 2 (Pillow's ImageCms, relative colorimetric, 8 bits) on the
        // same profile bytes; `qcms` gives the same.
        let p3 = display_p3();
        near(one(&p3, [40, 200, 60]), [0, 204, 12], "P3 green");
        near(one(&p3, [200, 100, 50]), [215, 93, 31], "P3 orange");
        // P3's pure red is outside sRGB: it is clipped to sRGB's red.
        near(one(&p3, [255, 0, 0]), [255, 0, 0], "P3 red");
        let adobe = adobe_rgb();
        near(
            one(&adobe, [40, 200, 60]),
            [0, 201, 37],
            "Adobe RGB green (QA Q94)",
        );
        near(
            one(&adobe, [200, 100, 50]),
            [227, 100, 42],
            "Adobe RGB orange",
        );
        // Neutral greys stay neutral.
        let g = one(&p3, [128, 128, 128]);
        assert!(
            g[0].abs_diff(g[1]) <= 1 && g[1].abs_diff(g[2]) <= 1,
            "{g:?}"
        );
        assert_ne!(tag(Some(&p3), Pixels::Rgb), 0);
        assert_ne!(tag(Some(&p3), Pixels::Rgb), tag(Some(&adobe), Pixels::Rgb));
    }

    #[test]
    fn srgb_and_unreadable_profiles_leave_the_pixels_as_they_are() {
        let px = [40, 200, 60, 1, 2, 3];
        assert_eq!(to_srgb(Some(&srgb()), Pixels::Rgb, &px), None);
        assert_eq!(tag(Some(&srgb()), Pixels::Rgb), 0);
        assert_eq!(tag(None, Pixels::Rgb), 0);
        assert_eq!(tag(Some(b"not a profile"), Pixels::Rgb), 0);
        // An RGB profile on grey pixels (or the other way round) is not applied.
        assert_eq!(tag(Some(&display_p3()), Pixels::Grey), 0);
    }

    /// A small printer profile (CMYK → Lab, one lut16 table) made for the tests by
    /// tests/fixtures/images/make-test-cmyk-icc.py: a press whose inks multiply.
    pub(crate) const TEST_CMYK: &[u8] = include_bytes!("../../tests/fixtures/images/test-cmyk.icc");

    #[test]
    fn cmyk_inks_are_converted_through_their_profile() {
        // Reference values: LittleCMS 2 (Pillow's ImageCms, perceptual, 8 bits) on the same
        // profile bytes, inks 0 = none.
        let rgb = |cmyk: [u8; 4]| {
            let out = to_srgb(Some(TEST_CMYK), Pixels::Cmyk, &cmyk).expect("converted");
            [out[0], out[1], out[2]]
        };
        near(rgb([255, 0, 0, 0]), [38, 160, 226], "the press's cyan");
        near(rgb([0, 255, 0, 0]), [231, 49, 149], "magenta");
        near(rgb([0, 0, 255, 0]), [250, 237, 48], "yellow");
        near(rgb([0, 0, 0, 255]), [48, 48, 48], "black ink");
        near(rgb([0, 0, 0, 0]), [255, 255, 255], "paper");
        // Between the grid's points the engines interpolate a little differently (moxcms gives
        // (210, 171, 92)): within 5 of LittleCMS.
        let mix = rgb([40, 100, 200, 30]);
        assert!(
            mix.iter()
                .zip([211, 172, 96])
                .all(|(a, b)| a.abs_diff(b) <= 5),
            "a mix: {mix:?}"
        );
        assert_ne!(tag(Some(TEST_CMYK), Pixels::Cmyk), 0);
        // A CMYK profile fits only inks; an RGB profile never fits inks.
        assert_eq!(tag(Some(TEST_CMYK), Pixels::Rgb), 0);
        assert_eq!(tag(Some(&display_p3()), Pixels::Cmyk), 0);
        assert_eq!(tag(None, Pixels::Cmyk), 0);
    }

    #[test]
    fn alpha_is_kept_and_grey_becomes_rgb() {
        let out = to_srgb(Some(&display_p3()), Pixels::Rgba, &[40, 200, 60, 77]).unwrap();
        assert_eq!(out.len(), 4);
        assert_eq!(out[3], 77);
        let grey = ColorProfile::new_gray_with_gamma(1.8).encode().unwrap();
        let out = to_srgb(Some(&grey), Pixels::Grey, &[100]).expect("gamma 1.8 is not sRGB");
        assert_eq!(out.len(), 3);
        // Gamma 1.8 is lighter than sRGB's curve in the mid-tones: (100/255)^1.8 = 0.186
        // linear, 119 in sRGB.
        assert!(out[0] == out[1] && out[1] == out[2], "{out:?}");
        assert!(out[0].abs_diff(119) <= 2, "{out:?}");
    }
}
