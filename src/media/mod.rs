//! Media: every image a page shows, processed once and cached. This module owns the image
//! pipeline (and is the only one that names the image crates, in [`codec`]):
//!
//! - **Sources** are the site's and the theme's static files. Every file whose *content* is a
//!   JPEG, PNG, GIF (first frame) or WebP is decoded, turned upright (EXIF orientation) and
//!   re-encoded from pixels, so no metadata (EXIF, GPS, XMP, ICC) reaches the output (pixels in
//!   a colour profile other than sRGB are converted to sRGB first, [`colour`]): a width
//!   ladder ([`WIDTHS`], never upscaled) in WebP plus a JPEG fallback (PNG when the source has
//!   an alpha channel). A rung whose side passes a format's limit (WebP 16,383 px, JPEG
//!   65,535 px: a long infographic) is replaced by one as wide as fits ([`rungs`]). The source's own path is published as an upright, metadata-free copy at
//!   the largest ladder width. SVG is copied as is; its intrinsic size is read for
//!   `width`/`height`.
//! - **Lead images** (`image:` of stories, practices and regions) also get a 16:9 thumbnail for
//!   cards and a 1200×630 share card, both cropped around `image_focus`.
//! - **Bodies**: [`transform_body`] turns every `<img>` of a rendered body whose `src` is a local
//!   image into `<picture>` with `srcset`/`sizes`, `width`/`height`, lazy loading; an image
//!   alone in its paragraph with a title becomes a `<figure>` with the title as caption. It also
//!   checks alt text (see [`checks`]).
//! - **Cache**: every output file is content-addressed (a digest of the source bytes and every
//!   parameter, [`ENGINE`] included) and kept in `.lmp-cache/images/` (or `$LMP_CACHE_DIR`)
//!   outside the output, so a rebuild never encodes an unchanged image again and two builds
//!   give the same bytes. Encoding runs in parallel (rayon). The cache's record ([`Cache`])
//!   keeps each static file's and cached file's size, mtime and inode with its digest, so a
//!   warm build reads neither an unchanged photo nor a cached output: outputs are [`Blob`]s,
//!   files that the output writer copies (never hard-links: an output edited in place must not
//!   change the cache or another output), and a cached file damaged on disk is made again. SVG files are checked for scripts and references to other sites
//!   ([`checks::svg`]).
//! - **Videos**: [`video`] owns the video model (hosted file or YouTube/Vimeo facade), the
//!   WebVTT validator and the video checks.
//! - **Views**: [`ImageView`] is what templates get (the theme contract, `docs/theme.md`), a
//!   [`Picture`] plus alt text, caption, credit, a [`Picture`] thumbnail and the share card;
//!   [`image_view`] builds one for any site path (components use it).

pub(crate) mod card;
pub(crate) mod checks;
pub(crate) mod codec;
pub(crate) mod colour;
pub(crate) mod html;
pub(crate) mod video;
pub(crate) mod view;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::fsx::{Bytes, Stat};
use codec::{Decoded, Format, Geometry, Kind};
pub(crate) use view::{ImageView, Picture};

/// Widths of the ladder (CSS pixels × density). The text column is at most 41rem (656 px), so
/// 1600 covers it on a 2× screen, 480 a phone at 1×; a source narrower than a step stops there.
pub(crate) const WIDTHS: [u32; 4] = [480, 800, 1200, 1600];
/// The `sizes` attribute for images in the text column (see `--measure` in the theme's CSS). On
/// a phone's 3× (or denser) screen it says two thirds of the column, so the browser picks what
/// a 2× screen gets: a 3× photo is not visibly sharper on a phone, and costs about twice the
/// bytes (QA s7 Q106: four phone photos took 226.6 kB at 3×, 119.6 kB at 2×; the budget is
/// 200 kB). The image's displayed size comes from its `width`/`height` and the CSS, not this.
pub(crate) const SIZES: &str = "(min-width: 44rem) 41rem, (min-resolution: 2.5dppx) calc((100vw - 2rem) * 2 / 3), calc(100vw - 2rem)";
/// Card thumbnails: 16:9, at these widths.
pub(crate) const THUMB_WIDTHS: [u32; 2] = [400, 800];
pub(crate) const THUMB_SIZES: &str = "(min-width: 44rem) 22rem, calc(100vw - 2rem)";
/// Share cards (`og:image`).
pub(crate) const OG_SIZE: (u32, u32) = (1200, 630);
/// The narrowest crop of a lead image used as a share card: social sites show a large card
/// only from about 600 px across (Facebook ignores images under 200, X under 300×157); a
/// smaller lead image is shared with a generated card instead.
pub(crate) const OG_MIN_WIDTH: u32 = 600;

/// Whether a lead image is wide enough for its share card (see [`OG_MIN_WIDTH`]).
pub(crate) fn fits_card(r: &Raster) -> bool {
    crop_at(r.width, r.height, OG_SIZE.0, OG_SIZE.1, (500, 500)).2 >= OG_MIN_WIDTH
}
/// The text column in CSS pixels: a lead or body image narrower than this looks small or blurry.
pub(crate) const COLUMN_PX: u32 = 656;
/// Bumped whenever the pipeline's output for the same input changes (part of every cache key).
pub(crate) const ENGINE: &str = "lmp-media-1";

/// Where processed images are cached: `$LMP_CACHE_DIR`, else `cache_dir` of config.yaml
/// (relative to the site folder, or absolute), else `.lmp-cache/` beside the site folder (in
/// the project folder, outside the output) when lmp may write there, else a folder of the
/// user's cache (`$XDG_CACHE_HOME/lmp/` or `~/.cache/lmp/`, else the system's temporary
/// folder) named by a digest of the site folder's path. QA s12: a site on a read-only disk
/// (a CD, a share opened read-only) encoded every picture again at each build, 30 s for the
/// sample site.
pub(crate) fn cache_dir(site_dir: &Path, configured: Option<&str>) -> PathBuf {
    if let Some(d) = std::env::var_os("LMP_CACHE_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    let abs = crate::fsx::absolute(site_dir);
    if let Some(c) = configured {
        return abs.join(c);
    }
    let beside = abs.parent().unwrap_or(&abs).join(".lmp-cache");
    if crate::fsx::can_write_in(&beside) {
        return beside;
    }
    let name = format!(
        "{:016x}",
        xxhash_rust::xxh3::xxh3_64(abs.as_os_str().as_encoded_bytes())
    );
    let user = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .map(|d| d.join("lmp").join(&name));
    let elsewhere = user
        .into_iter()
        .chain([std::env::temp_dir().join(format!("lmp-cache-{name}"))])
        .find(|d| crate::fsx::can_write_in(d));
    match elsewhere {
        Some(d) => {
            log::debug!(
                "{} cannot be written: images are cached in {}",
                beside.display(),
                d.display()
            );
            d
        }
        None => beside,
    }
}

/// Where the bytes of a static file are.
#[derive(Debug, Clone)]
pub(crate) enum Src {
    /// In memory (a file of the built-in theme).
    Mem(Bytes),
    /// A file, with its [`Stat`] when the theme was loaded.
    Disk(Arc<(PathBuf, Stat)>),
}

impl Src {
    /// The whole file.
    pub(crate) fn read(&self) -> anyhow::Result<Bytes> {
        match self {
            Src::Mem(b) => Ok(b.clone()),
            Src::Disk(d) => crate::fsx::read(&d.0).map(Arc::new),
        }
    }

    /// At most its first `n` bytes.
    pub(crate) fn prefix(&self, n: usize) -> anyhow::Result<Vec<u8>> {
        match self {
            Src::Mem(b) => Ok(b.get(..n.min(b.len())).unwrap_or_default().to_vec()),
            Src::Disk(d) => crate::fsx::read_prefix(&d.0, n),
        }
    }

    /// At most `n` of its bytes from byte `offset`.
    pub(crate) fn read_at(&self, offset: u64, n: usize) -> anyhow::Result<Vec<u8>> {
        match self {
            Src::Mem(b) => {
                let start = usize::try_from(offset).unwrap_or(usize::MAX).min(b.len());
                let end = start.saturating_add(n).min(b.len());
                Ok(b.get(start..end).unwrap_or_default().to_vec())
            }
            Src::Disk(d) => crate::fsx::read_at(&d.0, offset, n),
        }
    }

    /// Its size in bytes.
    pub(crate) fn len(&self) -> u64 {
        match self {
            Src::Mem(b) => b.len() as u64,
            Src::Disk(d) => d.1.size,
        }
    }
}

/// The static files, sorted by output path: `(path, source)`.
pub(crate) type Statics = Vec<(String, Src)>;

/// One output file of an image.
#[derive(Debug, Clone)]
pub(crate) struct Variant {
    pub format: Format,
    pub width: u32,
    pub height: u32,
    /// Site path (`/media/team-800-1a2b3c4d5e.webp`).
    pub path: String,
    pub bytes: Blob,
}

/// The bytes of an output file: a file on disk (an image-cache entry or a site's static file),
/// copied into the output without passing through memory, or bytes in memory.
#[derive(Debug, Clone)]
pub(crate) enum Blob {
    Mem(Bytes),
    File(Arc<OnDisk>),
}

pub(crate) use crate::fsx::OnDisk;

impl Blob {
    /// The bytes (read from disk for a file).
    pub(crate) fn read(&self) -> anyhow::Result<Bytes> {
        match self {
            Blob::Mem(b) => Ok(b.clone()),
            Blob::File(f) => crate::fsx::read(&f.path).map(Arc::new),
        }
    }
}

/// A static file as the image pipeline sees it.
#[derive(Debug, Clone)]
pub(crate) enum Entry {
    /// A raster image, processed.
    Raster(Arc<Raster>),
    /// An SVG (copied as is) and its intrinsic size, if it declares one.
    Svg(Option<(u32, u32)>),
    /// A file that is not an image (or one that cannot be decoded): why, in plain words.
    NotImage(String),
}

/// A raster source and its ladder.
#[derive(Debug)]
pub(crate) struct Raster {
    pub kind: Kind,
    /// Upright size of the source.
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
    pub alpha: bool,
    /// Frames in the source (1 for a still picture); only the first is shown.
    pub frames: u32,
    /// Its colour profile's tag (see [`colour::tag`]): 0 when its pixels are used as they are.
    pub colour: u64,
    pub digest: u128,
    /// Per width (ascending): the modern format then the fallback.
    pub ladder: Vec<Variant>,
}

impl Raster {
    pub(crate) fn fallback(&self) -> Format {
        if self.alpha {
            Format::Png
        } else {
            Format::Jpeg
        }
    }
}

/// Thumbnails and the share card of a lead image at one focus point.
#[derive(Debug)]
pub(crate) struct Lead {
    pub thumbs: Vec<Variant>,
    pub og: Option<Variant>,
}

/// Every static file seen as an image, by site path (`/images/x.jpg`), and the lead-image
/// crops; what views and checks read.
#[derive(Debug, Default, Clone)]
pub(crate) struct Images {
    pub(crate) entries: Arc<BTreeMap<String, Entry>>,
    /// The content digest of every static file on disk, by site path (`/files/x.pdf`), from
    /// the cache's record: what the output writer compares with the previous output.
    pub(crate) digests: Arc<BTreeMap<String, u128>>,
    /// (site path, focus in per-mille) → thumbnails and share card.
    pub(crate) leads: BTreeMap<(String, (u16, u16)), Arc<Lead>>,
    /// Generated share cards of the documents without a lead image, by document URL.
    pub(crate) cards: BTreeMap<String, Arc<Card>>,
    /// The site's card per language (its name and description), for every page that is not a
    /// document: the home page, lists, term pages, search, 404.
    pub(crate) site_cards: BTreeMap<String, Arc<Card>>,
}

/// A generated share card: the PNG and its alt text (the words on it).
#[derive(Debug)]
pub(crate) struct Card {
    pub file: Variant,
    pub alt: String,
}

impl Images {
    pub(crate) fn get(&self, site_path: &str) -> Option<&Entry> {
        self.entries.get(site_path)
    }

    /// The output files: every variant, and each source's path as its upright copy.
    pub(crate) fn files(&self) -> Vec<(String, Blob)> {
        let mut out = Vec::new();
        for (path, e) in self.entries.iter() {
            if let Entry::Raster(r) = e {
                for v in &r.ladder {
                    out.push((v.path.trim_start_matches('/').to_string(), v.bytes.clone()));
                }
                let same = match r.kind {
                    Kind::Jpeg => Some(Format::Jpeg),
                    Kind::Png => Some(Format::Png),
                    Kind::Webp => Some(Format::Webp),
                    Kind::Gif | Kind::Svg => None,
                };
                if let Some(f) = same
                    && let Some(v) = r.ladder.iter().rev().find(|v| v.format == f)
                {
                    out.push((path.trim_start_matches('/').to_string(), v.bytes.clone()));
                }
            }
        }
        for lead in self.leads.values() {
            for v in lead.thumbs.iter().chain(&lead.og) {
                out.push((v.path.trim_start_matches('/').to_string(), v.bytes.clone()));
            }
        }
        for c in self.cards.values().chain(self.site_cards.values()) {
            let v = &c.file;
            out.push((v.path.trim_start_matches('/').to_string(), v.bytes.clone()));
        }
        out
    }
}

/// The content-addressed disk cache, and its record: for each cached file and each static file
/// read, its size, modification time and inode with the digest of its bytes (as git's index
/// does), so that a warm build neither reads nor hashes an unchanged photo or cached output, and
/// a cached file that changed on disk (cut short, damaged) is noticed and made again.
#[derive(Debug)]
pub(crate) struct Cache {
    dir: PathBuf,
    record: std::sync::Mutex<Record>,
    /// `lmp check`: nothing is encoded and nothing written (QA Q30: a check filled the cache
    /// with 7 MB in 16 s). Sources are checked as far as their headers (and a JPEG's end);
    /// outputs the cache already has are used, the others are empty stand-ins with their paths.
    dry: bool,
    /// A write failed (and was said).
    unwritable: std::sync::atomic::AtomicBool,
    /// The progress line of the files made (see [`Progress`]).
    progress: Progress,
}

/// The progress line of a build that encodes images (QA s7 Q106: a first build with a few
/// hundred photos printed nothing for minutes, and an author presses Ctrl-C): on a terminal,
/// unless `--quiet`, one line rewritten in place at most four times a second from the first
/// file made, then ended when the stage ends, e.g. `Making images: 230 files in 41 s (once:
/// later builds reuse .lmp-cache/images)`. Nothing when stderr is not a terminal (CI logs).
#[derive(Debug, Default)]
struct Progress {
    /// Files made since the line was opened.
    made: std::sync::atomic::AtomicUsize,
    /// When the line was opened and last written: `None` while it is closed.
    shown: std::sync::Mutex<Option<(std::time::Instant, std::time::Instant)>>,
}

impl Progress {
    /// Whether the line is shown at all: stderr is a terminal and warnings are on.
    fn wanted() -> bool {
        use std::io::IsTerminal as _;
        static TTY: std::sync::LazyLock<bool> =
            std::sync::LazyLock::new(|| std::io::stderr().is_terminal());
        *TTY && log::log_enabled!(log::Level::Warn)
    }

    /// The line (short enough not to wrap: a wrapped line is not rewritten in place).
    fn line(made: usize, since: std::time::Instant, dir: &Path) -> String {
        let cwd = std::env::current_dir().unwrap_or_default();
        format!(
            "Making images: {made} file{} in {} s (once: later builds reuse {})",
            if made == 1 { "" } else { "s" },
            since.elapsed().as_secs(),
            dir.strip_prefix(&cwd).unwrap_or(dir).display()
        )
    }

    /// A file is about to be made (`done` false) or was made (`done` true).
    fn tick(&self, done: bool, dir: &Path) {
        if !Self::wanted() {
            return;
        }
        let made = if done {
            self.made.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1
        } else {
            self.made.load(std::sync::atomic::Ordering::Relaxed)
        };
        let mut shown = self.shown.lock().unwrap_or_else(|p| p.into_inner());
        let now = std::time::Instant::now();
        let since = match *shown {
            Some((_, last)) if now.duration_since(last).as_millis() < 250 => return,
            Some((since, _)) => since,
            None => now,
        };
        *shown = Some((since, now));
        eprint!("\r{}", Self::line(made, since, dir));
    }

    /// End the line, if one is open, with its final count.
    fn finish(&self, dir: &Path) {
        let mut shown = self.shown.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((since, _)) = shown.take() {
            let made = self.made.swap(0, std::sync::atomic::Ordering::Relaxed);
            eprintln!("\r{}", Self::line(made, since, dir));
        }
    }
}

/// What the cache knows of files (see [`Cache`]). Saved as `images/record.v1` (text, one line
/// per file).
#[derive(Debug, Default)]
struct Record {
    /// Static files, by absolute path.
    sources: std::collections::HashMap<PathBuf, (Stat, Known)>,
    /// Cache files, by file name (`<key>.<ext>`): their stat and the digest of their bytes.
    outputs: std::collections::HashMap<String, (Stat, u128)>,
    dirty: bool,
}

/// What the record keeps of a static file: its digest and, for a raster image, its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Known {
    digest: u128,
    raster: Option<Head>,
}

/// A raster image's header: what is known of it without decoding its pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Head {
    kind: Kind,
    /// Upright size.
    width: u32,
    height: u32,
    alpha: bool,
    /// See [`codec::frames`].
    frames: u32,
    /// See [`codec::Header::colour`].
    colour: u64,
}

const RECORD: &str = "record.v1";

impl Cache {
    pub(crate) fn new(dir: PathBuf) -> Cache {
        let dir = dir.join("images");
        let record =
            Record::parse(&crate::fsx::read_to_string(&dir.join(RECORD)).unwrap_or_default());
        Cache {
            dir,
            record: std::sync::Mutex::new(record),
            dry: false,
            unwritable: Default::default(),
            progress: Progress::default(),
        }
    }

    /// The cache as `lmp check` uses it (see [`Cache::dry`]'s field).
    pub(crate) fn dry(self) -> Cache {
        Cache { dry: true, ..self }
    }

    /// What stands for an output the cache lacks, in a dry cache: its path is real, its bytes
    /// are never written.
    fn stand_in() -> Blob {
        Blob::Mem(crate::site::streamed())
    }

    fn record(&self) -> std::sync::MutexGuard<'_, Record> {
        self.record.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn path(&self, key: u128, format: Format) -> PathBuf {
        self.dir.join(format!("{key:032x}.{}", format.ext()))
    }

    /// The cached file of `key`, when it is there and whole: unchanged since the record saw it
    /// (no read), or read and checked (its digest as recorded, or, unrecorded, a file of its
    /// format that is not cut short). A damaged file is a miss: it is made again.
    fn get(&self, key: u128, format: Format) -> Option<Blob> {
        let path = self.path(key, format);
        let name = format!("{key:032x}.{}", format.ext());
        let st = crate::fsx::stat(&path).ok()?;
        let recorded = self.record().outputs.get(&name).copied();
        if let Some((rs, digest)) = recorded
            && rs == st
        {
            return Some(file_blob(path, digest, st.size));
        }
        let bytes = crate::fsx::read(&path).ok()?;
        let digest = xxhash_rust::xxh3::xxh3_128(&bytes);
        let whole = match recorded {
            Some((_, d)) => d == digest,
            None => codec::is_whole(&bytes, format),
        };
        if !whole {
            log::warn!(
                "{}: the image cache's file was damaged; it is made again",
                path.display()
            );
            return None;
        }
        let st = crate::fsx::stat(&path).ok()?;
        self.note_output(name, st, digest);
        Some(file_blob(path, digest, st.size))
    }

    fn note_output(&self, name: String, st: Stat, digest: u128) {
        let mut r = self.record();
        if r.outputs.get(&name) != Some(&(st, digest)) {
            r.outputs.insert(name, (st, digest));
            r.dirty = true;
        }
    }

    /// Store `bytes` as the file of `key` and return it as a file. Best effort: a cache that
    /// cannot be written only costs time (the bytes stay in memory then).
    fn put(&self, key: u128, format: Format, bytes: Vec<u8>) -> Blob {
        let path = self.path(key, format);
        let digest = xxhash_rust::xxh3::xxh3_128(&bytes);
        if let Err(e) = crate::fsx::write_replacing(&path, &bytes) {
            // Said once (QA s6: a cache that cannot be written cost every build its encoding
            // time, without a word).
            if !self
                .unwritable
                .swap(true, std::sync::atomic::Ordering::Relaxed)
            {
                log::warn!(
                    "warning: cannot write the image cache in {} ({e:#}): every build encodes the images again; set `cache_dir:` in config.yaml or $LMP_CACHE_DIR to a folder lmp can write",
                    self.dir.display()
                );
            }
            return Blob::Mem(Arc::new(bytes));
        }
        match crate::fsx::stat(&path) {
            Ok(st) if st.size == bytes.len() as u64 => {
                self.note_output(format!("{key:032x}.{}", format.ext()), st, digest);
                file_blob(path, digest, st.size)
            }
            _ => Blob::Mem(Arc::new(bytes)),
        }
    }

    /// What the record knows of a static file on disk, when the file has not changed since.
    fn known(&self, path: &Path, st: Stat) -> Option<Known> {
        match self.record().sources.get(path) {
            Some((rs, k)) if *rs == st => Some(*k),
            _ => None,
        }
    }

    fn note_source(&self, path: &Path, st: Stat, k: Known) {
        // A file changed in the last seconds may change again within the clock's resolution
        // without its mtime moving (git's "racy" entries): it is not recorded, so it is read
        // again next time.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as i128);
        if st.mtime_ns > now - 2_000_000_000 {
            return;
        }
        let mut r = self.record();
        if r.sources.get(path) != Some(&(st, k)) {
            r.sources.insert(path.to_path_buf(), (st, k));
            r.dirty = true;
        }
    }

    /// Write the record when it changed (best effort, in one step); a dry cache writes nothing.
    pub(crate) fn save(&self) {
        if self.dry {
            return;
        }
        self.progress.finish(&self.dir);
        let text = {
            let mut r = self.record();
            if !r.dirty {
                return;
            }
            r.dirty = false;
            r.to_text()
        };
        if let Err(e) = crate::fsx::write_replacing(&self.dir.join(RECORD), text.as_bytes()) {
            log::debug!("could not write the image cache's record: {e:#}");
        }
        // The default cache folder keeps itself out of the author's repository (as Cargo's
        // `target/` does): `.lmp-cache/` sits beside the site folder, usually in a git checkout
        // (QA Q47). A folder of another name (`$LMP_CACHE_DIR`, `cache_dir:`) is the author's.
        if let Some(root) = self.dir.parent()
            && root.file_name().is_some_and(|n| n == ".lmp-cache")
        {
            let ignore = root.join(".gitignore");
            if !crate::fsx::exists(&ignore) {
                let text =
                    "# lmp's cache (processed images, link results): not for version control\n*\n";
                if let Err(e) = crate::fsx::write_replacing(&ignore, text.as_bytes()) {
                    log::debug!("could not write {}: {e:#}", ignore.display());
                }
            }
        }
    }
}

fn file_blob(path: PathBuf, digest: u128, size: u64) -> Blob {
    Blob::File(Arc::new(OnDisk::file(path, digest, size)))
}

impl Record {
    /// Lines `S digest size ino mtime raster path` and `O digest size ino mtime name`; a line
    /// that does not parse is skipped (that file is only read again).
    fn parse(text: &str) -> Record {
        let mut r = Record::default();
        for line in text.lines() {
            let mut f = line.splitn(7, ' ');
            let (Some(tag), Some(d), Some(size), Some(ino), Some(mtime)) =
                (f.next(), f.next(), f.next(), f.next(), f.next())
            else {
                continue;
            };
            let (Ok(digest), Ok(size), Ok(ino), Ok(mtime_ns)) = (
                u128::from_str_radix(d, 16),
                size.parse(),
                ino.parse(),
                mtime.parse(),
            ) else {
                continue;
            };
            let st = Stat {
                size,
                mtime_ns,
                ino,
            };
            match tag {
                "O" => {
                    if let Some(name) = f.next() {
                        r.outputs.insert(name.to_string(), (st, digest));
                    }
                }
                "S" => {
                    let (Some(raster), Some(path)) = (f.next(), f.next()) else {
                        continue;
                    };
                    let raster = if raster == "-" {
                        None
                    } else {
                        let mut p = raster.split(':');
                        let kind = match p.next() {
                            Some("jpeg") => Kind::Jpeg,
                            Some("png") => Kind::Png,
                            Some("gif") => Kind::Gif,
                            Some("webp") => Kind::Webp,
                            _ => continue,
                        };
                        let (Some(Ok(width)), Some(Ok(height)), Some(a)) =
                            (p.next().map(str::parse), p.next().map(str::parse), p.next())
                        else {
                            continue;
                        };
                        // The frame count (session 6) and the colour profile's tag (session
                        // 7): a line without them is read again, so a photo recorded before
                        // colours were converted is looked at afresh (QA Q94).
                        let (Some(Ok(frames)), Some(Ok(colour))) = (
                            p.next().map(str::parse::<u32>),
                            p.next().map(|c| u64::from_str_radix(c, 16)),
                        ) else {
                            continue;
                        };
                        Some(Head {
                            kind,
                            width,
                            height,
                            alpha: a == "a",
                            frames,
                            colour,
                        })
                    };
                    r.sources
                        .insert(PathBuf::from(path), (st, Known { digest, raster }));
                }
                _ => {}
            }
        }
        r
    }

    fn to_text(&self) -> String {
        let mut lines: Vec<String> = Vec::with_capacity(self.sources.len() + self.outputs.len());
        for (path, (st, k)) in &self.sources {
            let Some(p) = path.to_str().filter(|p| !p.contains(['\n', '\r'])) else {
                continue;
            };
            let raster = match k.raster {
                None => "-".to_string(),
                Some(Head {
                    kind,
                    width: w,
                    height: h,
                    alpha: a,
                    frames,
                    colour,
                }) => {
                    let kind = match kind {
                        Kind::Jpeg => "jpeg",
                        Kind::Png => "png",
                        Kind::Gif => "gif",
                        Kind::Webp => "webp",
                        Kind::Svg => continue,
                    };
                    format!(
                        "{kind}:{w}:{h}:{}:{frames}:{colour:x}",
                        if a { "a" } else { "o" }
                    )
                }
            };
            lines.push(format!(
                "S {:032x} {} {} {} {raster} {p}",
                k.digest, st.size, st.ino, st.mtime_ns
            ));
        }
        for (name, (st, d)) in &self.outputs {
            lines.push(format!(
                "O {d:032x} {} {} {} {name}",
                st.size, st.ino, st.mtime_ns
            ));
        }
        lines.sort();
        let mut out = lines.join("\n");
        out.push('\n');
        out
    }
}

/// One output to make from a source.
#[derive(Debug, Clone, Copy)]
struct Job {
    geometry: Geometry,
    format: Format,
}

/// The cache key of one output of a source (`colour`: its profile's tag, see
/// [`colour::tag`]; 0 leaves the key as it was before colours were converted).
fn key(digest: u128, job: &Job, alpha: bool, colour: u64) -> u128 {
    let g = job.geometry;
    let mut text = format!(
        "{ENGINE}|{digest:032x}|{:?}|{}x{}|{}|{}|{}",
        g.crop,
        g.width,
        g.height,
        job.format.ext(),
        codec::WEBP_QUALITY,
        codec::JPEG_QUALITY
    );
    if alpha && job.format == Format::Jpeg {
        // A JPEG of a source with transparency is flattened onto white (see `codec::render`).
        text.push_str("|on-white");
    }
    if colour != 0 {
        text.push_str(&format!("|srgb-from:{colour:016x}:{}", colour::VERSION));
    }
    xxhash_rust::xxh3::xxh3_128(text.as_bytes())
}

/// A file-name stem for outputs: the source's name, slugified.
fn stem(site_path: &str) -> String {
    let name = site_path.rsplit('/').next().unwrap_or(site_path);
    let base = name.rsplit_once('.').map(|(b, _)| b).unwrap_or(name);
    let s = short(&crate::util::slugify(base));
    if s.is_empty() { "image".into() } else { s }
}

/// A slug cut to at most 80 characters at a dash, so that an output file name (`stem`, size,
/// digest, extension) stays far below the 255 bytes file systems allow.
fn short(slug: &str) -> String {
    if slug.len() <= 80 {
        return slug.to_string();
    }
    let cut = &slug[..80];
    cut.rfind('-')
        .filter(|&i| i > 40)
        .map_or(cut, |i| &cut[..i])
        .to_string()
}

/// The source, read (when not already) and decoded on first need: only when an output is
/// missing from the cache.
struct Lazy<'a> {
    src: &'a Src,
    /// The bytes, when they were read already.
    bytes: Option<&'a [u8]>,
    /// Their digest, as the cache keys say.
    digest: u128,
    decoded: std::sync::OnceLock<Result<Decoded, String>>,
    /// For a dry cache: whether the file looks whole without decoding it.
    whole: std::sync::OnceLock<Result<(), String>>,
}

impl<'a> Lazy<'a> {
    fn new(src: &'a Src, bytes: Option<&'a [u8]>, digest: u128) -> Self {
        Lazy {
            src,
            bytes,
            digest,
            decoded: Default::default(),
            whole: Default::default(),
        }
    }

    /// What a check without decoding can say (see [`codec::looks_whole`]).
    fn looks_whole(&self) -> Result<(), String> {
        self.whole
            .get_or_init(|| match self.bytes {
                Some(b) => codec::looks_whole(b),
                None => {
                    let b = self.src.read().map_err(|e| format!("{e:#}"))?;
                    codec::looks_whole(&b)
                }
            })
            .clone()
    }

    fn get(&self) -> Result<&Decoded, String> {
        self.decoded
            .get_or_init(|| match self.bytes {
                Some(b) => codec::decode(b),
                None => {
                    let b = self.src.read().map_err(|e| format!("{e:#}"))?;
                    if xxhash_rust::xxh3::xxh3_128(&b) != self.digest {
                        return Err("the file changed while lmp was reading it".into());
                    }
                    codec::decode(&b)
                }
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

/// Make (or load from the cache) every job's output.
fn run_jobs(
    cache: &Cache,
    src: &Lazy<'_>,
    digest: u128,
    alpha: bool,
    colour: u64,
    site_path: &str,
    jobs: &[Job],
) -> Result<Vec<Variant>, String> {
    let stem = stem(site_path);
    jobs.par_iter()
        .map(|job| {
            let k = key(digest, job, alpha, colour);
            let bytes = match cache.get(k, job.format) {
                Some(b) => b,
                None if cache.dry => {
                    src.looks_whole()?;
                    Cache::stand_in()
                }
                None => {
                    cache.progress.tick(false, &cache.dir);
                    let b = codec::render(src.get()?, job.geometry, job.format)?;
                    cache.progress.tick(true, &cache.dir);
                    cache.put(k, job.format, b)
                }
            };
            let g = job.geometry;
            Ok(Variant {
                format: job.format,
                width: g.width,
                height: g.height,
                path: format!(
                    "/media/{stem}-{}x{}-{:010x}.{}",
                    g.width,
                    g.height,
                    (k >> 88) as u64,
                    job.format.ext()
                ),
                bytes,
            })
        })
        .collect()
}

/// The ladder's widths for a source `w` pixels wide: every step below it, then `w` itself when
/// it is under the largest step.
pub(crate) fn ladder_widths(w: u32) -> Vec<u32> {
    let mut v: Vec<u32> = WIDTHS.iter().copied().filter(|&x| x < w).collect();
    if w <= WIDTHS[WIDTHS.len() - 1] || v.is_empty() {
        v.push(w.min(WIDTHS[WIDTHS.len() - 1]).max(1));
    } else {
        v.push(WIDTHS[WIDTHS.len() - 1]);
    }
    v.dedup();
    v
}

/// The longest side libwebp encodes (`WEBP_MAX_DIMENSION`): a taller rung fails with
/// `VP8_ENC_ERROR_BAD_DIMENSION` (QA s9 Q126: a 1200×18000 infographic failed the build).
pub(crate) const WEBP_MAX_SIDE: u32 = 16_383;

/// The longest side of a JPEG (its header holds 16 bits).
pub(crate) const JPEG_MAX_SIDE: u32 = 65_535;

/// What the reason for a picture too long for every format says before the limit (see
/// [`checks::unusable`]).
pub(crate) const TOO_LONG: &str = ": longer than lmp can publish (at most ";

/// `65,535`.
fn fmt_px(n: u32) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The (width, height) of each rung of a `width`×`height` source in `format`: the ladder's
/// widths ([`ladder_widths`]) whose side fits the format ([`WEBP_MAX_SIDE`], [`JPEG_MAX_SIDE`];
/// only a very tall picture passes them), then, in place of the rungs that do not fit, one rung
/// as wide as fits. A WebP rung narrower than the ladder's first width is not made (a browser
/// takes the first `<source>` it can show, so a blurry WebP would beat the sharp fallback):
/// such a picture is published in the fallback format only. Empty when nothing fits.
pub(crate) fn rungs(width: u32, height: u32, format: Format) -> Vec<(u32, u32)> {
    let (limit, least) = match format {
        Format::Webp => (WEBP_MAX_SIDE, WIDTHS[0]),
        Format::Jpeg => (JPEG_MAX_SIDE, 1),
        Format::Png => (u32::MAX, 1),
    };
    let scaled = |w: u32| {
        ((height as u64 * w as u64 + width as u64 / 2) / width.max(1) as u64).max(1) as u32
    };
    let mut out: Vec<(u32, u32)> = Vec::new();
    for w in ladder_widths(width) {
        let h = scaled(w);
        if w <= limit && h <= limit {
            out.push((w, h));
            continue;
        }
        let mut cw = ((limit as u64 * width as u64) / height.max(1) as u64).min(w as u64) as u32;
        while cw > 0 && scaled(cw) > limit {
            cw -= 1;
        }
        let above = out.last().map_or(0, |r| r.0);
        if cw >= least && cw > above {
            out.push((cw, scaled(cw)));
        }
        break;
    }
    out
}

/// A static file as the pipeline saw it: its entry, the digest of its bytes (known for a file
/// on disk, from the record or read) and the problems found in it.
struct Seen {
    entry: Entry,
    digest: Option<u128>,
    diags: Vec<crate::diagnostics::Diagnostic>,
}

/// Look at one static file: a raster image is processed (its outputs loaded from the cache or
/// made), without reading the file when the cache's record knows it unchanged and every output
/// is cached; an SVG is read and checked; anything else is read only as far as its first bytes
/// (and hashed by blocks when the record does not know it).
fn entry(cache: &Cache, site_path: &str, src: &Src, file: &Path) -> Seen {
    let mut seen = look(cache, site_path, src, file);
    if let Entry::NotImage(why) = &seen.entry
        && is_picture(src)
    {
        seen.diags.push(published_as_is(file, why));
    }
    seen
}

/// Whether a file lmp could not process is a picture (a photo in a format lmp does not read,
/// or a JPEG, PNG, GIF or WebP it could not decode), not some other file (a PDF, a text).
fn is_picture(src: &Src) -> bool {
    match src.prefix(1024).map(|h| codec::sniff(&h)) {
        Ok(Ok(kind)) => kind != Kind::Svg,
        Ok(Err(what)) => ["HEIC", "TIFF", "BMP"].iter().any(|k| what.contains(k)),
        Err(_) => false,
    }
}

/// The message of [`published_as_is`] for a picture cut short.
const CUT_SHORT_AS_IS: &str = "this picture is published as it is, broken: ";

/// A picture under `static/` that lmp cannot re-encode is published byte for byte, with any
/// metadata it holds (QA s7 Q99: a phone's HEIC or a scanned TIFF published with its GPS
/// position, camera serial and photographer): a warning at the file. A picture cut short is
/// said to be broken (QA s13: it was told to be exported as a JPEG, which it is); a page that
/// shows it has an error about it, and then this warning is left out (see
/// [`said_by_a_page`]).
fn published_as_is(file: &Path, why: &str) -> crate::diagnostics::Diagnostic {
    if why.starts_with(codec::CUT_SHORT) {
        return crate::diagnostics::Diagnostic::warning(
            file,
            0,
            0,
            format!("{CUT_SHORT_AS_IS}{why}"),
        )
        .with_help(
            "the copy or upload of this file was interrupted: copy it again from the original, or delete it if no page needs it",
        );
    }
    crate::diagnostics::Diagnostic::warning(
        file,
        0,
        0,
        format!(
            "this picture is published as it is, with any GPS position, camera serial or author name it holds: lmp cannot re-encode it ({why})"
        ),
    )
    .with_help(if why.contains(TOO_LONG) {
        "cut it into parts, each at most 65,535 px long, and show them one after another"
    } else if why.contains(codec::TOO_LARGE) {
        // QA s8: a 108-megapixel JPEG was told to be exported as a JPEG.
        "export it smaller (2400 px wide is plenty for the web): lmp then publishes it re-encoded, without its metadata; or delete it if no page needs it"
    } else {
        "export it as a JPEG or PNG (lmp publishes those re-encoded, without their metadata), or delete it if no page needs it"
    })
}

/// Whether `warning` is the warning of a picture cut short (see [`published_as_is`]) that an
/// error of a page using it says already (`…/images/team.jpg is not an image: the file is cut
/// short …`): one message for one broken file, the error, which fails the build. The page
/// names the picture as written (`/images/team.jpg`, `../images/team.jpg`): its path without
/// its leading `/`, `./` and `../` ends the warning's file path.
pub(crate) fn said_by_a_page(
    warning: &crate::diagnostics::Diagnostic,
    diags: &[crate::diagnostics::Diagnostic],
) -> bool {
    if warning.is_error() || !warning.message.starts_with(CUT_SHORT_AS_IS) {
        return false;
    }
    let file = warning.path.to_string_lossy().replace('\\', "/");
    let marker = format!(" is not an image: {}", codec::CUT_SHORT);
    diags.iter().filter(|d| d.is_error()).any(|d| {
        let Some(at) = d.message.find(&marker) else {
            return false;
        };
        let written = d.message[..at].trim_start_matches("`image`: ");
        let written =
            crate::escape::percent_decode(written.split(['?', '#']).next().unwrap_or(written));
        let mut rest = written.trim_start_matches('/');
        while let Some(r) = rest.strip_prefix("./").or_else(|| rest.strip_prefix("../")) {
            rest = r;
        }
        !rest.is_empty() && (file == rest || file.ends_with(&format!("/{rest}")))
    })
}

/// [`entry`] without the warning for pictures published as they are.
fn look(cache: &Cache, site_path: &str, src: &Src, file: &Path) -> Seen {
    let seen = |entry, digest| Seen {
        entry,
        digest,
        diags: Vec::new(),
    };
    let disk = match src {
        Src::Disk(d) => Some((d.0.as_path(), d.1)),
        Src::Mem(_) => None,
    };
    let head = |src: &Src| src.prefix(1024).map_err(|e| format!("{e:#}"));
    let known = disk.and_then(|(path, st)| cache.known(path, st));
    if let Some(k) = known {
        if let Some(head) = k.raster {
            let size = src.len();
            let e = raster(cache, site_path, src, None, head, k.digest, size);
            return seen(e, Some(k.digest));
        }
        match head(src).map(|h| codec::sniff(&h)) {
            Err(e) => return seen(Entry::NotImage(e), Some(k.digest)),
            Ok(Err(what)) => {
                return seen(Entry::NotImage(not_an_image(what)), Some(k.digest));
            }
            // An SVG is read whole below; a file now an image is looked at afresh.
            Ok(Ok(_)) => {}
        }
    }
    let kind = match head(src).map(|h| codec::sniff(&h)) {
        Ok(Ok(k)) => k,
        Ok(Err(what)) => {
            // Not an image: its digest by blocks, never the whole file in memory.
            let digest = disk.and_then(|(path, _)| {
                let (d, st) = crate::fsx::hash_file(path).ok()?;
                cache.note_source(
                    path,
                    st,
                    Known {
                        digest: d,
                        raster: None,
                    },
                );
                Some(d)
            });
            return seen(Entry::NotImage(not_an_image(what)), digest);
        }
        Err(e) => return seen(Entry::NotImage(e), None),
    };
    let bytes = match src.read() {
        Ok(b) => b,
        Err(e) => return seen(Entry::NotImage(format!("{e:#}")), None),
    };
    let digest = xxhash_rust::xxh3::xxh3_128(&bytes);
    // Recorded only when the bytes read are those `stat` described.
    let note = |raster| {
        if let Some((path, st)) = disk
            && st.size == bytes.len() as u64
        {
            cache.note_source(path, st, Known { digest, raster });
        }
    };
    if kind == Kind::Svg {
        note(None);
        return Seen {
            entry: Entry::Svg(codec::svg_size(&bytes)),
            digest: Some(digest),
            diags: checks::svg(&bytes, file),
        };
    }
    let h = match codec::header(&bytes) {
        Ok(h) => h,
        Err(e) => return seen(Entry::NotImage(e), Some(digest)),
    };
    let head = Head {
        kind,
        width: h.width,
        height: h.height,
        alpha: h.alpha,
        frames: codec::frames(kind, &bytes),
        colour: h.colour,
    };
    note(Some(head));
    let size = bytes.len() as u64;
    let e = raster(cache, site_path, src, Some(&bytes), head, digest, size);
    seen(e, Some(digest))
}

/// Why a file is not an image, from what it is (`a PDF document`): "it is a PDF document, not an
/// image"; a kind of image lmp cannot read says so once.
fn not_an_image(what: &str) -> String {
    if what.contains("image") {
        format!("it is {what}")
    } else {
        format!("it is {what}, not an image")
    }
}

/// A raster source's ladder, from the cache or made (`bytes`: the source, when already read).
fn raster(
    cache: &Cache,
    site_path: &str,
    src: &Src,
    bytes: Option<&[u8]>,
    head: Head,
    digest: u128,
    size: u64,
) -> Entry {
    let Head {
        kind,
        width,
        height,
        alpha,
        frames,
        colour,
    } = head;
    let fallback = if alpha { Format::Png } else { Format::Jpeg };
    let webp = rungs(width, height, Format::Webp);
    let fb = rungs(width, height, fallback);
    if fb.is_empty() {
        // Only a strip over 65,535 times longer than it is wide (a JPEG's limit) gets here.
        return Entry::NotImage(format!(
            "it is {width}×{height} pixels{TOO_LONG}{} pixels on a side in a JPEG)",
            fmt_px(JPEG_MAX_SIDE)
        ));
    }
    let mut jobs = Vec::new();
    // Per width (ascending): the modern format then the fallback.
    let mut all: Vec<(u32, u32, Format)> = webp
        .iter()
        .map(|&(w, h)| (w, h, Format::Webp))
        .chain(fb.iter().map(|&(w, h)| (w, h, fallback)))
        .collect();
    all.sort_by_key(|&(w, h, f)| (w, h, f != Format::Webp));
    for (w, h, format) in all {
        jobs.push(Job {
            geometry: Geometry {
                crop: (0, 0, width, height),
                width: w,
                height: h,
            },
            format,
        });
    }
    // The source's own path: the same family as the source at the largest width.
    if let Some(last) = jobs.last().map(|j| j.geometry) {
        match kind {
            Kind::Png if !alpha => jobs.push(Job {
                geometry: last,
                format: Format::Png,
            }),
            _ => {}
        }
    }
    let lazy = Lazy::new(src, bytes, digest);
    match run_jobs(cache, &lazy, digest, alpha, colour, site_path, &jobs) {
        Ok(ladder) => Entry::Raster(Arc::new(Raster {
            kind,
            width,
            height,
            bytes: size,
            alpha,
            frames,
            colour,
            digest,
            ladder,
        })),
        Err(e) => Entry::NotImage(e),
    }
}

/// Stage one, when the theme's and the site's static files are loaded: every image among them,
/// the digests of the files on disk, and the problems found in them (SVG with scripts).
/// `file_of` names the file a site path comes from, for diagnostics.
pub(crate) fn process_statics(
    cache: &Cache,
    statics: &Statics,
    file_of: &(dyn Fn(&str) -> PathBuf + Sync),
) -> (Images, Vec<crate::diagnostics::Diagnostic>) {
    let seen: Vec<(String, Seen)> = statics
        .par_iter()
        .map(|(rel, src)| {
            let site_path = format!("/{rel}");
            let file = file_of(&site_path);
            (site_path, entry(cache, rel, src, &file))
        })
        .collect();
    cache.save();
    let mut entries = BTreeMap::new();
    let mut digests = BTreeMap::new();
    let mut diags = Vec::new();
    for (path, s) in seen {
        if let Some(d) = s.digest {
            digests.insert(path.clone(), d);
        }
        diags.extend(s.diags);
        entries.insert(path, s.entry);
    }
    let images = Images {
        entries: Arc::new(entries),
        digests: Arc::new(digests),
        leads: BTreeMap::new(),
        cards: BTreeMap::new(),
        site_cards: BTreeMap::new(),
    };
    (images, diags)
}

/// The files the images and the static files put in the output, by output path: every
/// variant, then each static file not replaced by an image's own upright copy nor `taken` (by
/// a page), as a file to copy when it is on disk.
pub(crate) fn outputs(
    statics: &Statics,
    images: &Images,
    taken: &dyn Fn(&str) -> bool,
) -> Vec<(String, Blob)> {
    // One file per output path (two sources with the same name and bytes make the same
    // variants): written twice at once, a file could be copied onto its own link.
    let mut out: BTreeMap<String, Blob> = images.files().into_iter().collect();
    for (rel, src) in statics {
        if out.contains_key(rel) || taken(rel) {
            continue;
        }
        let blob = match src {
            Src::Mem(b) => Blob::Mem(b.clone()),
            Src::Disk(d) => match images.digests.get(&format!("/{rel}")) {
                Some(&digest) => Blob::File(Arc::new(OnDisk::file(d.0.clone(), digest, d.1.size))),
                // Unknown digest (the file could not be hashed): read it when written.
                None => Blob::File(Arc::new(OnDisk::file(d.0.clone(), 0, u64::MAX))),
            },
        };
        out.insert(rel.clone(), blob);
    }
    out.into_iter().collect()
}

/// A focus point in per-mille of width and height (default: the centre).
pub(crate) type Focus = (u16, u16);

/// Parse `image_focus`: `"30% 40%"` (x then y), `"center"`, `"top"`, … .
pub(crate) fn parse_focus(s: &str) -> Result<Focus, String> {
    let words: Vec<&str> = s.split_whitespace().collect();
    let pct = |w: &str| -> Option<u16> {
        let n: f64 = w.strip_suffix('%')?.trim().parse().ok()?;
        (0.0..=100.0)
            .contains(&n)
            .then(|| (n * 10.0).round() as u16)
    };
    match words.as_slice() {
        ["center"] | ["centre"] => Ok((500, 500)),
        ["top"] => Ok((500, 0)),
        ["bottom"] => Ok((500, 1000)),
        ["left"] => Ok((0, 500)),
        ["right"] => Ok((1000, 500)),
        [x, y] => match (pct(x), pct(y)) {
            (Some(x), Some(y)) => Ok((x, y)),
            _ => Err(format!("`{s}` is not a focus point")),
        },
        _ => Err(format!("`{s}` is not a focus point")),
    }
}

/// The crop of a `w`×`h` source with aspect `aw:ah` around `focus`.
pub(crate) fn crop_at(w: u32, h: u32, aw: u32, ah: u32, focus: Focus) -> (u32, u32, u32, u32) {
    let (w64, h64) = (w as u64, h as u64);
    let (cw, ch) = if w64 * ah as u64 > h64 * aw as u64 {
        ((h64 * aw as u64 / ah as u64).max(1), h64)
    } else {
        (w64, (w64 * ah as u64 / aw as u64).max(1))
    };
    let place = |full: u64, part: u64, f: u16| -> u64 {
        let centre = full * f as u64 / 1000;
        centre.saturating_sub(part / 2).min(full - part)
    };
    (
        place(w64, cw, focus.0) as u32,
        place(h64, ch, focus.1) as u32,
        cw as u32,
        ch as u32,
    )
}

/// Stage two, per build: thumbnails and share cards of the lead images at their focus points.
pub(crate) fn process_leads(
    cache: &Cache,
    statics: &Statics,
    images: &Images,
    wanted: &[(String, Focus)],
) -> BTreeMap<(String, Focus), Arc<Lead>> {
    let mut wanted: Vec<&(String, Focus)> = wanted.iter().collect();
    wanted.sort();
    wanted.dedup();
    wanted
        .par_iter()
        .filter_map(|(path, focus)| {
            let Some(Entry::Raster(r)) = images.get(path) else {
                return None;
            };
            let k = (path.clone(), *focus);
            let rel = path.trim_start_matches('/');
            let i = statics
                .binary_search_by(|(k, _)| k.as_str().cmp(rel))
                .ok()?;
            let src = &statics.get(i)?.1;
            let thumb_crop = crop_at(r.width, r.height, 16, 9, *focus);
            let mut jobs = Vec::new();
            for tw in THUMB_WIDTHS {
                let tw = tw.min(thumb_crop.2);
                let th = (tw as u64 * 9 / 16).max(1) as u32;
                let geometry = Geometry {
                    crop: thumb_crop,
                    width: tw,
                    height: th,
                };
                jobs.push(Job {
                    geometry,
                    format: Format::Webp,
                });
                jobs.push(Job {
                    geometry,
                    format: r.fallback(),
                });
            }
            let og_crop = crop_at(r.width, r.height, OG_SIZE.0, OG_SIZE.1, *focus);
            let ow = OG_SIZE.0.min(og_crop.2);
            let oh = (ow as u64 * OG_SIZE.1 as u64 / OG_SIZE.0 as u64).max(1) as u32;
            let card = fits_card(r);
            if card {
                jobs.push(Job {
                    geometry: Geometry {
                        crop: og_crop,
                        width: ow,
                        height: oh,
                    },
                    format: Format::Jpeg,
                });
            }
            let lazy = Lazy::new(src, None, r.digest);
            let mut out = run_jobs(cache, &lazy, r.digest, r.alpha, r.colour, path, &jobs).ok()?;
            let og = if card { out.pop() } else { None };
            let mut thumbs = out;
            thumbs.dedup_by(|a, b| a.path == b.path);
            Some((k, Arc::new(Lead { thumbs, og })))
        })
        .collect()
}

/// The lead images of a graph's documents and their focus points.
pub(crate) fn leads_wanted(graph: &crate::content::graph::Graph) -> Vec<(String, Focus)> {
    graph
        .docs
        .iter()
        .filter_map(|d| {
            let path = d.common.image.clone()?;
            Some((path, doc_focus(d)))
        })
        .collect()
}

/// A document's focus point (the centre when absent or invalid: that is an error elsewhere).
pub(crate) fn doc_focus(d: &crate::content::Document) -> Focus {
    d.common
        .image_focus
        .as_deref()
        .and_then(|f| parse_focus(f).ok())
        .unwrap_or((500, 500))
}

/// The images of one build: the static files' entries, the lead images' crops and the
/// generated share cards of the documents without a lead image. `label` names a collection in
/// a language (`Story`, `Historia`).
pub(crate) fn with_leads(
    cache: &Cache,
    statics: &Statics,
    images: &Images,
    graph: &crate::content::graph::Graph,
    cfg: &crate::config::Config,
    label: &(dyn Fn(crate::content::collections::Collection, &str) -> String + Sync),
) -> Images {
    let wanted = leads_wanted(graph);
    let leads = process_leads(cache, statics, images, &wanted);
    let (cards, site) = if cfg.share_cards {
        (
            cards_wanted(graph, cfg, images, label),
            site_cards_wanted(cfg),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let site_cards = process_cards(cache, &site)
        .into_iter()
        .filter_map(|(key, card)| {
            Some((
                key.strip_prefix("/site-")?
                    .trim_end_matches('/')
                    .to_string(),
                card,
            ))
        })
        .collect();
    let cards = process_cards(cache, &cards);
    cache.save();
    Images {
        entries: images.entries.clone(),
        digests: images.digests.clone(),
        leads,
        cards,
        site_cards,
    }
}

/// What the generated card of each document without a (raster) lead image says, by URL.
pub(crate) fn cards_wanted(
    graph: &crate::content::graph::Graph,
    cfg: &crate::config::Config,
    images: &Images,
    label: &(dyn Fn(crate::content::collections::Collection, &str) -> String + Sync),
) -> Vec<(String, card::CardText)> {
    use crate::content::collections::Collection;
    graph
        .docs
        .iter()
        .filter(|d| {
            // A lead image too small for a card (see `fits_card`) gets a generated one too.
            !d.common
                .image
                .as_deref()
                .is_some_and(|p| matches!(images.get(p), Some(Entry::Raster(r)) if fits_card(r)))
        })
        .map(|d| {
            let site = cfg
                .lang(&d.lang)
                .map_or_else(|| cfg.title.clone(), |l| l.title.clone());
            let collection = match d.collection {
                Collection::Home => String::new(),
                c => label(c, &d.lang),
            };
            let text = card::CardText {
                title: d.common.title.clone(),
                collection,
                site,
                lang: d.lang.clone(),
            };
            (d.url.clone(), text)
        })
        .collect()
}

/// The card of the site in each language: its name, and its description as the title (the
/// name again when it has none). Keyed `/site-<lang>/` (the file is `card-site-<lang>-….png`).
pub(crate) fn site_cards_wanted(cfg: &crate::config::Config) -> Vec<(String, card::CardText)> {
    cfg.languages
        .iter()
        .map(|l| {
            let title = if l.description.trim().is_empty() {
                l.title.clone()
            } else {
                l.description.clone()
            };
            let text = card::CardText {
                title,
                collection: String::new(),
                site: l.title.clone(),
                lang: l.code.clone(),
            };
            (format!("/site-{}/", l.code), text)
        })
        .collect()
}

/// Render (or load from the cache) every wanted card.
pub(crate) fn process_cards(
    cache: &Cache,
    wanted: &[(String, card::CardText)],
) -> BTreeMap<String, Arc<Card>> {
    wanted
        .par_iter()
        .filter_map(|(url, text)| {
            // The SVG holds the text, its layout and the design: any change makes a new key.
            let k = xxhash_rust::xxh3::xxh3_128(
                format!(
                    "{ENGINE}|{}|{}|{}",
                    card::VERSION,
                    text.lang,
                    card::svg(text)
                )
                .as_bytes(),
            );
            let bytes = match cache.get(k, Format::Png) {
                Some(b) => b,
                None if cache.dry => Cache::stand_in(),
                None => {
                    cache.progress.tick(false, &cache.dir);
                    let made = card::render(text);
                    cache.progress.tick(true, &cache.dir);
                    match made {
                        Ok(b) => cache.put(k, Format::Png, b),
                        Err(e) => {
                            log::warn!("{url}: no share card: {e}");
                            return None;
                        }
                    }
                }
            };
            let slug = url
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .map(|s| short(&crate::util::slugify(s)))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "home".into());
            let v = Variant {
                format: Format::Png,
                width: card::WIDTH,
                height: card::HEIGHT,
                path: format!("/media/card-{slug}-{:010x}.png", (k >> 88) as u64),
                bytes,
            };
            let alt = card::alt_text(text);
            Some((url.clone(), Arc::new(Card { file: v, alt })))
        })
        .collect()
}

/// Document `d`'s rendered body `r` with its local images made responsive (see
/// [`html::transform`]): a function of the body, the document's path, the image entries and the
/// config (`crate::memo` reuses it for the same values). A body the build spilled (see
/// `Rendered::spill`) is read back; one it cannot read back is left as it is (the page then fails
/// to render, with the cause).
pub(crate) fn transform_body(
    images: &Images,
    cfg: &crate::config::Config,
    d: &crate::content::Document,
    r: &Arc<crate::markdown::Rendered>,
) -> Arc<crate::markdown::Rendered> {
    // `html::transform` changes nothing without an `<img` tag: a spilled body without one is
    // not read back to find that out.
    if !r.has_img_tag() {
        return r.clone();
    }
    let body = r.html().unwrap_or_default();
    match html::transform(&body, &d.rel, images, cfg) {
        Some(html) => {
            let mut t = (**r).clone();
            t.set_html(html);
            Arc::new(t)
        }
        None => r.clone(),
    }
}

/// The view of a document's lead image (with thumbnail and share card).
pub(crate) fn lead_view(
    images: &Images,
    cfg: &crate::config::Config,
    d: &crate::content::Document,
    path: &str,
) -> Option<ImageView> {
    let c = &d.common;
    view::build(
        images,
        cfg,
        path,
        c.image_alt.as_deref().unwrap_or(""),
        c.image_caption.as_deref().unwrap_or(""),
        c.image_credit.as_deref().unwrap_or(""),
        Some(doc_focus(d)),
    )
}

/// The generated share card of the document at `url` (one without a lead image): its full
/// URL, size and alt text (the words on the card).
pub(crate) fn share_card(
    images: &Images,
    cfg: &crate::config::Config,
    url: &str,
) -> Option<OgCard> {
    let c = images.cards.get(url)?;
    Some(OgCard {
        url: cfg.permalink(&c.file.path),
        width: c.file.width,
        height: c.file.height,
        alt: c.alt.clone(),
    })
}

/// The site's generated card in language `lang`, for a page that is not a document.
pub(crate) fn site_card(
    images: &Images,
    cfg: &crate::config::Config,
    lang: &str,
) -> Option<OgCard> {
    let c = images.site_cards.get(lang)?;
    Some(OgCard {
        url: cfg.permalink(&c.file.path),
        width: c.file.width,
        height: c.file.height,
        alt: c.alt.clone(),
    })
}

/// A generated share card as the page's `og:image`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OgCard {
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
}

/// Build the [`ImageView`] of a site path (`/images/team.jpg`) for a template or component:
/// `None` when the path is not an image. `alt` is the text alternative (`""` for a decorative
/// image), `caption` and `credit` may be empty, `focus` picks the thumbnail (the lead image's
/// `image_focus`; `None` for the centre or for images without thumbnails).
pub(crate) fn image_view(
    images: &Images,
    cfg: &crate::config::Config,
    site_path: &str,
    alt: &str,
    caption: &str,
    credit: &str,
) -> Option<ImageView> {
    view::build(images, cfg, site_path, alt, caption, credit, None)
}

/// Resolve an image reference in a document's body to a site path: `/images/x.jpg` as is,
/// `../static/images/x.jpg` relative to the document (`stories/a.md`). `None` for a URL of
/// another site, a data: URL or a relative path outside `static/`. `src` is as written
/// (percent-encoded): the query and fragment are cut off first, then the path is decoded, so a
/// file named `Team #3.jpg` or `q?.jpg` (written `Team%20%233.jpg`, `q%3F.jpg`) is found (QA s9
/// Q129: decoded first, `a%23b.jpg` was looked for as `a`).
pub(crate) fn resolve_src(doc_rel: &str, src: &str) -> Option<String> {
    let src = crate::escape::percent_decode(src.split(['?', '#']).next().unwrap_or(""));
    let src = src.as_str();
    if src.is_empty() || src.contains("://") || src.starts_with("//") || src.contains(':') {
        return None;
    }
    if src.starts_with('/') {
        return Some(src.to_string());
    }
    let mut parts: Vec<&str> = doc_rel.split('/').collect();
    parts.pop();
    for seg in src.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    match parts.split_first() {
        Some((&"static", rest)) if !rest.is_empty() => Some(format!("/{}", rest.join("/"))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_line_without_the_colour_tag_is_read_again() {
        // Session 7 lines keep the colour profile's tag; older lines are dropped, so their
        // photos are read and their profile looked at again (QA Q94).
        let new = "S 0000000000000000000000000000002a 10 3 4 jpeg:800:600:o:1:9f2 /s/p3.jpg";
        let old = "S 0000000000000000000000000000002b 10 3 4 jpeg:800:600:o:1 /s/old.jpg";
        let r = Record::parse(&format!("{new}\n{old}\n"));
        assert_eq!(r.sources.len(), 1, "{:?}", r.sources);
        let (_, k) = &r.sources[std::path::Path::new("/s/p3.jpg")];
        assert_eq!(k.raster.map(|h| h.colour), Some(0x9f2));
        assert_eq!(r.to_text(), format!("{new}\n"));
        // The tag is part of every output's key; 0 leaves the key as it was.
        let job = Job {
            geometry: Geometry {
                crop: (0, 0, 800, 600),
                width: 480,
                height: 360,
            },
            format: Format::Webp,
        };
        assert_ne!(key(7, &job, false, 0), key(7, &job, false, 0x9f2));
    }

    #[test]
    fn output_names_stay_short() {
        let long = "a-b-".repeat(60) + "zz";
        let s = short(&long);
        assert!(s.len() <= 80 && s.len() > 40 && !s.ends_with('-'), "{s}");
        assert_eq!(short("team-at-hospital"), "team-at-hospital");
        assert_eq!(stem(&format!("/images/{long}.jpg")), s);
    }

    #[test]
    fn ladder_never_upscales() {
        assert_eq!(ladder_widths(2400), vec![480, 800, 1200, 1600]);
        assert_eq!(ladder_widths(1000), vec![480, 800, 1000]);
        assert_eq!(ladder_widths(300), vec![300]);
        assert_eq!(ladder_widths(800), vec![480, 800]);
    }

    #[test]
    fn a_tall_picture_gets_webp_rungs_only_as_wide_as_webp_allows() {
        // QA s9 Q126: 1200×18000 (a long infographic): the 1200 rung is 18000 tall.
        assert_eq!(
            rungs(1200, 18000, Format::Webp),
            vec![(480, 7200), (800, 12000), (1092, 16380)]
        );
        assert_eq!(
            rungs(1200, 18000, Format::Jpeg),
            vec![(480, 7200), (800, 12000), (1200, 18000)]
        );
        // Every rung of every format within its limit, for many shapes.
        for (w, h) in [
            (2, 20000),
            (20000, 2),
            (300, 20000),
            (1000, 70000),
            (1, 70000),
            (1600, 16383),
            (1601, 16384),
        ] {
            for (f, limit) in [(Format::Webp, WEBP_MAX_SIDE), (Format::Jpeg, JPEG_MAX_SIDE)] {
                let r = rungs(w, h, f);
                assert!(
                    r.iter()
                        .all(|&(a, b)| a <= limit && b <= limit && a >= 1 && b >= 1),
                    "{w}×{h} {f:?}: {r:?}"
                );
                assert!(
                    r.windows(2).all(|p| p[0].0 < p[1].0),
                    "{w}×{h} {f:?}: {r:?}"
                );
            }
        }
        // Too narrow for a sharp WebP: the fallback only.
        assert_eq!(rungs(2, 20000, Format::Webp), vec![]);
        assert_eq!(rungs(2, 20000, Format::Png), vec![(2, 20000)]);
        assert_eq!(rungs(300, 20000, Format::Webp), vec![]);
        // A JPEG is capped the same way; a 1-px strip over 65,535 px fits no JPEG.
        assert_eq!(rungs(1000, 70000, Format::Jpeg).last(), Some(&(936, 65520)));
        assert_eq!(rungs(1, 70000, Format::Jpeg), vec![]);
        // A usual photo is the ladder as it was.
        assert_eq!(
            rungs(2400, 1600, Format::Webp),
            vec![(480, 320), (800, 533), (1200, 800), (1600, 1067)]
        );
        assert_eq!(rungs(20000, 2, Format::Webp).last(), Some(&(1600, 1)));
    }

    #[test]
    fn crops_around_the_focus() {
        // 2400×1600 → 16:9 is 2400×1350; focus at the top keeps y = 0.
        assert_eq!(crop_at(2400, 1600, 16, 9, (500, 0)), (0, 0, 2400, 1350));
        assert_eq!(
            crop_at(2400, 1600, 16, 9, (500, 1000)),
            (0, 250, 2400, 1350)
        );
        assert_eq!(crop_at(2400, 1600, 16, 9, (500, 500)), (0, 125, 2400, 1350));
        // A tall source: full height is too much, the width limits.
        assert_eq!(crop_at(900, 1600, 16, 9, (500, 500)).2, 900);
    }

    #[test]
    fn focus_syntax() {
        assert_eq!(parse_focus("30% 40%"), Ok((300, 400)));
        assert_eq!(parse_focus("top"), Ok((500, 0)));
        assert!(parse_focus("30 40").is_err());
        assert!(parse_focus("130% 40%").is_err());
    }

    #[test]
    fn body_sources() {
        assert_eq!(
            resolve_src("stories/a.md", "../static/images/x.jpg").as_deref(),
            Some("/images/x.jpg")
        );
        assert_eq!(
            resolve_src("stories/a.md", "/images/x.jpg").as_deref(),
            Some("/images/x.jpg")
        );
        assert_eq!(resolve_src("stories/a.md", "https://e.org/x.jpg"), None);
        assert_eq!(resolve_src("stories/a.md", "x.jpg"), None);
        assert_eq!(resolve_src("stories/a.md", "../../../etc/passwd"), None);
        // Cut at `?`/`#` as written, then decoded: `%3F` and `%23` are part of the name.
        assert_eq!(
            resolve_src("stories/a.md", "/images/Team%20%233.jpg?v=2#x").as_deref(),
            Some("/images/Team #3.jpg")
        );
        assert_eq!(
            resolve_src("stories/a.md", "../static/images/q%3F.jpg").as_deref(),
            Some("/images/q?.jpg")
        );
    }
}
