//! `gen-media`: draws the sample site's illustrations (our own artwork, so every picture in
//! `site/static/images/` has a known licence: the project's) and the benchmark photos.
//!
//! ```text
//! cargo run --release --example gen-media -- site/static/images        # the sample site's images
//! cargo run --release --example gen-media -- --photos 300 target/photos # benchmark "photos"
//! ```
//!
//! Each illustration is a flat drawing: a sky gradient, a sun, hills, buildings, trees, water, and
//! people drawn as simple shapes (a round head and a rounded body), so the alt text in the sample
//! content can say exactly what is shown. Output is a pure function of the arguments.

use std::path::{Path, PathBuf};

use image::{Rgb, RgbImage};

type C = [u8; 3];

struct Canvas {
    img: RgbImage,
}

impl Canvas {
    fn new(w: u32, h: u32) -> Canvas {
        Canvas {
            img: RgbImage::new(w, h),
        }
    }
    fn w(&self) -> f32 {
        self.img.width() as f32
    }
    fn h(&self) -> f32 {
        self.img.height() as f32
    }
    /// Vertical gradient over the whole canvas.
    fn sky(&mut self, top: C, bottom: C) {
        let h = self.img.height();
        for (_, y, p) in self.img.enumerate_pixels_mut() {
            let t = y as f32 / h as f32;
            *p = Rgb(mix(top, bottom, t));
        }
    }
    fn put(&mut self, x: i64, y: i64, c: C, a: f32) {
        if x < 0 || y < 0 || x >= self.img.width() as i64 || y >= self.img.height() as i64 {
            return;
        }
        let p = self.img.get_pixel_mut(x as u32, y as u32);
        *p = Rgb(mix(p.0, c, a));
    }
    /// A filled shape given by an inside test in canvas coordinates, with 2×2 anti-aliasing.
    fn fill(&mut self, bbox: (f32, f32, f32, f32), c: C, inside: impl Fn(f32, f32) -> bool) {
        let (x0, y0, x1, y1) = bbox;
        for y in (y0.floor().max(0.0) as i64)..=(y1.ceil().min(self.h()) as i64) {
            for x in (x0.floor().max(0.0) as i64)..=(x1.ceil().min(self.w()) as i64) {
                let mut n = 0;
                for (dx, dy) in [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)] {
                    if inside(x as f32 + dx, y as f32 + dy) {
                        n += 1;
                    }
                }
                if n > 0 {
                    self.put(x, y, c, n as f32 / 4.0);
                }
            }
        }
    }
    fn circle(&mut self, cx: f32, cy: f32, r: f32, c: C) {
        self.fill((cx - r, cy - r, cx + r, cy + r), c, |x, y| {
            (x - cx).powi(2) + (y - cy).powi(2) <= r * r
        });
    }
    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, c: C) {
        self.fill((x, y, x + w, y + h), c, |px, py| {
            px >= x && px <= x + w && py >= y && py <= y + h
        });
    }
    fn rounded(&mut self, x: f32, y: f32, w: f32, h: f32, r: f32, c: C) {
        self.fill((x, y, x + w, y + h), c, |px, py| {
            let qx = (px - (x + w / 2.0)).abs() - (w / 2.0 - r);
            let qy = (py - (y + h / 2.0)).abs() - (h / 2.0 - r);
            let ox = qx.max(0.0);
            let oy = qy.max(0.0);
            (ox * ox + oy * oy).sqrt() + qx.max(qy).min(0.0) <= r
        });
    }
    /// Ground from a height function (y of the ground line at x) down to the bottom.
    fn ground(&mut self, c: C, line: impl Fn(f32) -> f32) {
        let (w, h) = (self.w(), self.h());
        self.fill((0.0, 0.0, w, h), c, |x, y| y >= line(x));
    }
    fn triangle(&mut self, a: (f32, f32), b: (f32, f32), c3: (f32, f32), c: C) {
        let (x0, x1) = (a.0.min(b.0).min(c3.0), a.0.max(b.0).max(c3.0));
        let (y0, y1) = (a.1.min(b.1).min(c3.1), a.1.max(b.1).max(c3.1));
        let sign = |p: (f32, f32), q: (f32, f32), r: (f32, f32)| {
            (p.0 - r.0) * (q.1 - r.1) - (q.0 - r.0) * (p.1 - r.1)
        };
        self.fill((x0, y0, x1, y1), c, |x, y| {
            let p = (x, y);
            let d1 = sign(p, a, b);
            let d2 = sign(p, b, c3);
            let d3 = sign(p, c3, a);
            !((d1 < 0.0 || d2 < 0.0 || d3 < 0.0) && (d1 > 0.0 || d2 > 0.0 || d3 > 0.0))
        });
    }
    /// A person: head and rounded body, `s` = height.
    fn person(&mut self, x: f32, feet: f32, s: f32, body: C, skin: C) {
        let head = s * 0.13;
        self.rounded(
            x - s * 0.17,
            feet - s * 0.72,
            s * 0.34,
            s * 0.72,
            s * 0.12,
            body,
        );
        self.circle(x, feet - s * 0.72 - head * 1.1, head, skin);
    }
    fn tree(&mut self, x: f32, base: f32, s: f32, c: C) {
        self.rect(
            x - s * 0.04,
            base - s * 0.25,
            s * 0.08,
            s * 0.25,
            [92, 64, 51],
        );
        self.triangle(
            (x, base - s),
            (x - s * 0.28, base - s * 0.2),
            (x + s * 0.28, base - s * 0.2),
            c,
        );
    }
    #[allow(clippy::too_many_arguments)]
    fn building(&mut self, x: f32, base: f32, w: f32, h: f32, wall: C, window: C, cross: bool) {
        self.rect(x, base - h, w, h, wall);
        let cols = (w / (h * 0.12)).floor().max(2.0) as i32;
        let rows = 5;
        let cw = w / cols as f32;
        let rh = h * 0.7 / rows as f32;
        for r in 0..rows {
            for c in 0..cols {
                self.rect(
                    x + c as f32 * cw + cw * 0.25,
                    base - h + h * 0.22 + r as f32 * rh,
                    cw * 0.5,
                    rh * 0.55,
                    window,
                );
            }
        }
        if cross {
            let s = h * 0.12;
            let (cx, cy) = (x + w / 2.0, base - h + h * 0.1);
            self.rect(cx - s / 2.0, cy - s * 0.15, s, s * 0.3, [200, 30, 45]);
            self.rect(cx - s * 0.15, cy - s / 2.0, s * 0.3, s, [200, 30, 45]);
        }
    }
}

fn mix(a: C, b: C, t: f32) -> C {
    let t = t.clamp(0.0, 1.0);
    [0, 1, 2].map(|i| (a[i] as f32 * (1.0 - t) + b[i] as f32 * t).round() as u8)
}

const SCRUBS: [C; 6] = [
    [0, 98, 152],
    [0, 130, 120],
    [92, 60, 140],
    [196, 80, 40],
    [40, 110, 60],
    [180, 40, 90],
];
const SKIN: [C; 5] = [
    [241, 194, 160],
    [198, 134, 90],
    [141, 85, 36],
    [224, 172, 130],
    [110, 66, 40],
];

/// The scenes, each with what the alt text says.
fn scene(name: &str, w: u32, h: u32) -> Canvas {
    let mut c = Canvas::new(w, h);
    let (fw, fh) = (w as f32, h as f32);
    match name {
        // Seven people standing in a row in front of a hospital at sunrise.
        "team-at-hospital" => {
            c.sky([255, 214, 170], [250, 240, 225]);
            c.circle(fw * 0.82, fh * 0.22, fh * 0.09, [255, 170, 60]);
            c.building(
                fw * 0.18,
                fh * 0.7,
                fw * 0.64,
                fh * 0.5,
                [225, 228, 235],
                [120, 160, 200],
                true,
            );
            c.ground([120, 170, 110], |_| fh * 0.7);
            for i in 0..7 {
                let x = fw * (0.2 + 0.1 * i as f32);
                c.person(
                    x,
                    fh * 0.95,
                    fh * (0.42 + 0.03 * ((i * 5) % 3) as f32),
                    SCRUBS[i % 6],
                    SKIN[i % 5],
                );
            }
        }
        // Eight people in a circle around a round table, seen from above.
        "huddle" => {
            c.sky([236, 240, 244], [220, 228, 236]);
            c.circle(fw / 2.0, fh / 2.0, fh * 0.2, [170, 120, 80]);
            c.rect(
                fw / 2.0 - fh * 0.08,
                fh / 2.0 - fh * 0.05,
                fh * 0.16,
                fh * 0.1,
                [250, 250, 250],
            );
            for i in 0..8 {
                let a = i as f32 / 8.0 * std::f32::consts::TAU;
                let (x, y) = (
                    fw / 2.0 + a.cos() * fh * 0.32,
                    fh / 2.0 + a.sin() * fh * 0.32,
                );
                c.circle(x, y, fh * 0.085, SCRUBS[i % 6]);
                c.circle(x, y, fh * 0.045, SKIN[i % 5]);
            }
        }
        // A bar chart of five bars rising from left to right, with an arrow above.
        "rising-results" => {
            c.sky([250, 250, 252], [236, 242, 248]);
            for i in 0..5 {
                let bh = fh * (0.15 + 0.13 * i as f32);
                c.rect(
                    fw * (0.15 + 0.14 * i as f32),
                    fh * 0.85 - bh,
                    fw * 0.1,
                    bh,
                    SCRUBS[i % 6],
                );
            }
            c.rect(fw * 0.1, fh * 0.85, fw * 0.8, fh * 0.01, [60, 60, 60]);
            c.triangle(
                (fw * 0.86, fh * 0.12),
                (fw * 0.78, fh * 0.16),
                (fw * 0.83, fh * 0.22),
                [40, 40, 40],
            );
        }
        // Two people side by side at a desk with a laptop, a plant beside them.
        "two-at-desk" => {
            c.sky([244, 236, 226], [236, 226, 212]);
            c.rect(0.0, fh * 0.15, fw, fh * 0.02, [200, 190, 170]);
            c.person(fw * 0.38, fh * 0.78, fh * 0.55, SCRUBS[0], SKIN[1]);
            c.person(fw * 0.62, fh * 0.78, fh * 0.55, SCRUBS[3], SKIN[3]);
            c.rect(fw * 0.15, fh * 0.7, fw * 0.7, fh * 0.05, [150, 100, 60]);
            c.rect(fw * 0.2, fh * 0.75, fw * 0.03, fh * 0.25, [150, 100, 60]);
            c.rect(fw * 0.77, fh * 0.75, fw * 0.03, fh * 0.25, [150, 100, 60]);
            c.rect(fw * 0.44, fh * 0.6, fw * 0.12, fh * 0.1, [60, 70, 80]);
            c.rect(fw * 0.85, fh * 0.62, fw * 0.05, fh * 0.08, [180, 90, 60]);
            c.circle(fw * 0.875, fh * 0.56, fh * 0.07, [70, 140, 70]);
        }
        // A line of people walking up steps toward a flag, like a career ladder.
        "career-steps" => {
            c.sky([214, 232, 250], [245, 248, 252]);
            for i in 0..5 {
                let x = fw * (0.1 + 0.16 * i as f32);
                let top = fh * (0.85 - 0.1 * i as f32);
                c.rect(x, top, fw * 0.16, fh - top, [200, 205, 215]);
                c.person(
                    x + fw * 0.08,
                    top,
                    fh * 0.28,
                    SCRUBS[i % 6],
                    SKIN[(i + 2) % 5],
                );
            }
            c.rect(fw * 0.9, fh * 0.2, fw * 0.008, fh * 0.25, [60, 60, 60]);
            c.triangle(
                (fw * 0.908, fh * 0.2),
                (fw * 0.908, fh * 0.3),
                (fw * 0.97, fh * 0.25),
                [200, 30, 45],
            );
        }
        // Region landscapes.
        "mountains" => {
            c.sky([150, 190, 230], [230, 240, 250]);
            c.circle(fw * 0.2, fh * 0.2, fh * 0.08, [255, 230, 150]);
            c.triangle(
                (fw * 0.0, fh * 0.8),
                (fw * 0.3, fh * 0.25),
                (fw * 0.6, fh * 0.8),
                [110, 120, 140],
            );
            c.triangle(
                (fw * 0.3, fh * 0.8),
                (fw * 0.65, fh * 0.18),
                (fw * 1.0, fh * 0.8),
                [90, 100, 125],
            );
            c.triangle(
                (fw * 0.58, fh * 0.3),
                (fw * 0.65, fh * 0.18),
                (fw * 0.72, fh * 0.3),
                [245, 245, 250],
            );
            c.ground([90, 140, 80], |x| {
                fh * 0.78 + (x / fw * 9.0).sin() * fh * 0.02
            });
            for i in 0..9 {
                c.tree(
                    fw * (0.05 + 0.11 * i as f32),
                    fh * 0.92,
                    fh * 0.2,
                    [40, 95, 60],
                );
            }
        }
        "island" => {
            c.sky([120, 200, 240], [210, 240, 250]);
            c.circle(fw * 0.75, fh * 0.2, fh * 0.09, [255, 220, 120]);
            c.ground([40, 130, 180], |_| fh * 0.62);
            c.triangle(
                (fw * 0.15, fh * 0.63),
                (fw * 0.4, fh * 0.3),
                (fw * 0.7, fh * 0.63),
                [70, 130, 80],
            );
            c.rect(0.0, fh * 0.8, fw, fh * 0.2, [235, 215, 170]);
        }
        "forest" => {
            c.sky([170, 190, 200], [225, 230, 230]);
            c.ground([70, 110, 80], |x| {
                fh * 0.7 + (x / fw * 5.0).cos() * fh * 0.03
            });
            for i in 0..14 {
                let s = fh * (0.35 + 0.1 * ((i * 7) % 4) as f32);
                c.tree(
                    fw * (0.03 + 0.07 * i as f32),
                    fh * (0.75 + 0.02 * (i % 3) as f32),
                    s,
                    [30 + (i * 5 % 30) as u8, 90, 60],
                );
            }
        }
        "city" => {
            c.sky([250, 200, 150], [255, 235, 210]);
            for i in 0..9 {
                let bh = fh * (0.25 + 0.07 * ((i * 3) % 5) as f32);
                c.building(
                    fw * (0.02 + 0.11 * i as f32),
                    fh * 0.85,
                    fw * 0.09,
                    bh,
                    [90 + (i * 9) as u8, 100, 120],
                    [250, 220, 140],
                    i == 4,
                );
            }
            c.ground([80, 80, 90], |_| fh * 0.85);
        }
        "coast" => {
            c.sky([180, 215, 240], [240, 246, 250]);
            c.circle(fw * 0.3, fh * 0.25, fh * 0.08, [255, 240, 180]);
            c.ground([70, 130, 170], |x| {
                fh * 0.6 + (x / fw * 20.0).sin() * fh * 0.008
            });
            c.ground([225, 205, 160], |x| fh * 0.85 - x / fw * fh * 0.1);
            c.building(
                fw * 0.6,
                fh * 0.8,
                fw * 0.25,
                fh * 0.3,
                [240, 240, 240],
                [120, 160, 200],
                true,
            );
        }
        "fields" => {
            c.sky([190, 215, 240], [245, 245, 235]);
            c.ground([150, 180, 90], |x| {
                fh * 0.6 + (x / fw * 3.0).sin() * fh * 0.04
            });
            c.ground([120, 160, 70], |x| {
                fh * 0.75 + (x / fw * 4.0).cos() * fh * 0.03
            });
            c.tree(fw * 0.7, fh * 0.72, fh * 0.3, [60, 120, 60]);
            c.building(
                fw * 0.15,
                fh * 0.66,
                fw * 0.2,
                fh * 0.2,
                [230, 225, 215],
                [120, 160, 200],
                true,
            );
        }
        _ => {
            c.sky([200, 200, 200], [240, 240, 240]);
        }
    }
    c
}

/// The sample site's images: name, scene, width, height.
const SAMPLE: &[(&str, &str, u32, u32)] = &[
    ("team-at-hospital", "team-at-hospital", 2400, 1600),
    ("huddle", "huddle", 1800, 1200),
    ("rising-results", "rising-results", 1600, 1000),
    ("two-at-desk", "two-at-desk", 1800, 1200),
    ("career-steps", "career-steps", 1800, 1200),
    ("region-mountains", "mountains", 1800, 1000),
    ("region-island", "island", 1800, 1000),
    ("region-forest", "forest", 1800, 1000),
    ("region-city", "city", 1800, 1000),
    ("region-coast", "coast", 1800, 1000),
    ("region-fields", "fields", 1800, 1000),
];

fn save(c: &Canvas, path: &Path) -> std::io::Result<()> {
    let mut out = Vec::new();
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82);
    c.img
        .write_with_encoder(enc)
        .map_err(std::io::Error::other)?;
    std::fs::write(path, out)
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (photos, out) = match args.as_slice() {
        [flag, n, out] if flag == "--photos" => (n.parse::<usize>().ok(), PathBuf::from(out)),
        [out] => (None, PathBuf::from(out)),
        _ => {
            eprintln!("usage: gen-media OUT_DIR | gen-media --photos N OUT_DIR");
            std::process::exit(2);
        }
    };
    std::fs::create_dir_all(&out)?;
    match photos {
        None => {
            for (name, sc, w, h) in SAMPLE {
                save(&scene(sc, *w, *h), &out.join(format!("{name}.jpg")))?;
            }
        }
        Some(n) => {
            // 2 to 12 megapixels at 3:2, cycling through the scenes.
            let scenes = [
                "team-at-hospital",
                "huddle",
                "two-at-desk",
                "career-steps",
                "mountains",
                "island",
                "forest",
                "city",
                "coast",
                "fields",
            ];
            for i in 0..n {
                let mp = 2.0 + (i * 37 % 101) as f32 / 100.0 * 10.0;
                let w = ((mp * 1e6 * 1.5).sqrt()) as u32;
                let h = w * 2 / 3;
                let mut c = scene(scenes[i % scenes.len()], w, h);
                // Photo-like grain, deterministic.
                let mut s = i as u64 * 0x9E37_79B9_7F4A_7C15 + 1;
                for p in c.img.pixels_mut() {
                    s ^= s << 13;
                    s ^= s >> 7;
                    s ^= s << 17;
                    let d = (s % 17) as i16 - 8;
                    for ch in p.0.iter_mut() {
                        *ch = (*ch as i16 + d).clamp(0, 255) as u8;
                    }
                }
                save(&c, &out.join(format!("photo-{i:03}.jpg")))?;
            }
        }
    }
    Ok(())
}
