//! A scratch file for what a one-off build writes once and reads back later: the bodies' HTML and
//! section texts, from the markdown stage to the page that shows them (and the search index).
//! Held in memory, they were most of a build's peak (about 12 kB per document: 1.2 GB at
//! 100,000 documents); on disk they cost the page cache, which the system reclaims, not the
//! build's memory. The file is created next to the output (the same disk, not a `/tmp` that may
//! be memory) and unlinked at once, so nothing is left behind, even by a killed build.
//!
//! A one-off build's scratch file is one file per worker thread ([`Spill::create`]): a write to
//! a file holds that file's lock for the whole copy, so two threads spilling bodies into one file
//! took turns (0.6 thread-seconds of waits in the markdown stage at 100,000 documents).
//!
//! `lmp serve` keeps two for as long as it runs ([`Spill::reusing`]): one for the bodies it
//! keeps for the next rebuild, one for the pages it serves. Each part there is a [`Held`]: it
//! starts on a block boundary and takes whole blocks, and when the last build or request using
//! it lets it go its blocks are given back to the file system (a hole punched) and its place is
//! reused by the next part that fits (QA Q127: unaligned parts shared their boundary blocks,
//! which were never freed, about 4 kB per re-rendered page and every edited body whole per
//! rebuild). So the file's disk use stays near the size of what is served and kept now, not of
//! everything rendered since `serve` started; where holes cannot be punched (a file system
//! without them), reuse alone keeps the file near the largest size it was ever needed at.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context as _, Result};

/// Where bytes were put in a [`Spill`]: which of its files, offset and length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    at: u64,
    len: u32,
    lane: u16,
}

/// An unlinked scratch file (or one per worker thread: see [`Spill::create`]), written and read
/// from any thread at once (positional I/O).
#[derive(Debug)]
pub(crate) struct Spill {
    /// The files: one ([`Spill::reusing`]) or one per worker thread ([`Spill::create`]).
    lanes: Vec<Lane>,
    /// `Some`: parts are block-aligned and their space is given back and reused
    /// ([`Spill::reusing`]); `None`: written once, one after the other (a one-off build).
    free: Option<std::sync::Mutex<Free>>,
    /// Where it was created (for messages).
    path: PathBuf,
}

/// One file of a [`Spill`].
#[derive(Debug)]
struct Lane {
    file: Arc<fs::File>,
    /// Bytes reserved so far: the end of the last part (each [`Spill::put`] reserves its span
    /// first).
    len: AtomicU64,
}

/// The free space of a [`Spill::reusing`] file: whole blocks, each run of them once, merged with
/// its neighbours as they are freed.
#[derive(Debug, Default)]
struct Free {
    /// The allocation unit: the file system's block (at least 4 kB).
    block: u64,
    /// The end of the last part in use (free runs are below it).
    end: u64,
    /// Free runs: offset → length.
    by_at: std::collections::BTreeMap<u64, u64>,
    /// The same runs by (length, offset): the smallest that fits is taken (best fit).
    by_len: std::collections::BTreeSet<(u64, u64)>,
    /// Bytes of the parts in use (their lengths as put, not rounded).
    live: u64,
}

impl Free {
    /// `n` bytes (a multiple of the block): the smallest free run that holds them, else at the
    /// end.
    fn take(&mut self, n: u64) -> u64 {
        if let Some(&(len, at)) = self.by_len.range((n, 0)..).next() {
            self.by_len.remove(&(len, at));
            self.by_at.remove(&at);
            if len > n {
                self.insert(at + n, len - n);
            }
            return at;
        }
        let at = self.end;
        self.end += n;
        at
    }

    fn insert(&mut self, at: u64, len: u64) {
        self.by_at.insert(at, len);
        self.by_len.insert((len, at));
    }

    fn remove(&mut self, at: u64) -> Option<u64> {
        let len = self.by_at.remove(&at)?;
        self.by_len.remove(&(len, at));
        Some(len)
    }

    /// `[at, at + len)` free again: merged with the free runs it touches; the end comes down
    /// when it was the last part.
    fn give(&mut self, mut at: u64, mut len: u64) {
        if let Some(next) = self.remove(at + len) {
            len += next;
        }
        if let Some((&before, &blen)) = self.by_at.range(..at).next_back()
            && before + blen == at
        {
            self.remove(before);
            at = before;
            len += blen;
        }
        if at + len >= self.end {
            self.end = at;
        } else {
            self.insert(at, len);
        }
    }
}

/// `n` rounded up to a multiple of `block`.
fn round_up(n: u64, block: u64) -> u64 {
    n.div_ceil(block) * block
}

impl Spill {
    /// New scratch files in `dir` (which must exist), already unlinked, one per thread of the
    /// worker pool (a thread writes into its own; any reads any): parts are written one after
    /// the other and stay until the files go (a one-off build).
    pub(crate) fn create(dir: &Path) -> Result<Spill> {
        let lanes = rayon::current_num_threads().clamp(1, usize::from(u16::MAX));
        Spill::with_lanes(dir, lanes)
    }

    /// [`Spill::create`] with `lanes` files.
    fn with_lanes(dir: &Path, lanes: usize) -> Result<Spill> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!(".lmp-spill-{}-{n}", std::process::id()));
        let lanes = (0..lanes.max(1))
            .map(|i| {
                let path = match i {
                    0 => path.clone(),
                    _ => dir.join(format!(".lmp-spill-{}-{n}-{i}", std::process::id())),
                };
                let file = fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .create_new(true)
                    .open(&path)
                    .with_context(|| {
                        format!("could not create the scratch file {}", path.display())
                    })?;
                // Open, it lives on without a name: removed with the process, however it ends.
                fs::remove_file(&path).with_context(|| {
                    format!("could not remove the scratch file {}", path.display())
                })?;
                Ok(Lane {
                    file: Arc::new(file),
                    len: AtomicU64::new(0),
                })
            })
            .collect::<Result<Vec<Lane>>>()?;
        Ok(Spill {
            lanes,
            free: None,
            path,
        })
    }

    /// A scratch file (see [`Spill::create`]; one file) whose parts ([`Held`]) give their
    /// space back when they go, and whose free space is reused: `lmp serve`'s, which lives as
    /// long as it runs.
    pub(crate) fn reusing(dir: &Path) -> Result<Spill> {
        let mut s = Spill::with_lanes(dir, 1)?;
        s.free = Some(std::sync::Mutex::new(Free {
            block: block_size(&s.lanes[0].file),
            ..Free::default()
        }));
        Ok(s)
    }

    /// The file of `span`.
    fn file(&self, span: Span) -> &Arc<fs::File> {
        &self.lanes[usize::from(span.lane)].file
    }

    /// Where `len` bytes go: at the end of the calling worker thread's file, or (reusing) in a
    /// free run of whole blocks.
    fn reserve(&self, len: u32) -> (u16, u64) {
        let len = u64::from(len);
        match &self.free {
            None => {
                let lane = rayon::current_thread_index().unwrap_or(0) % self.lanes.len();
                let at = self.lanes[lane].len.fetch_add(len, Ordering::Relaxed);
                (lane as u16, at)
            }
            Some(free) => {
                let mut f = free
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                let at = if len == 0 {
                    0
                } else {
                    let whole = round_up(len, f.block);
                    f.take(whole)
                };
                f.live += len;
                self.lanes[0].len.store(f.end, Ordering::Relaxed);
                (0, at)
            }
        }
    }

    /// Write `bytes` (at the end, or in reused space); where to read them back.
    #[cfg(unix)]
    pub(crate) fn put(&self, bytes: &[u8]) -> Result<Span> {
        use std::os::unix::fs::FileExt as _;
        let len = u32::try_from(bytes.len())
            .with_context(|| format!("{} bytes are too many for one span", bytes.len()))?;
        let (lane, at) = self.reserve(len);
        let span = Span { at, len, lane };
        if let Err(e) = self.file(span).write_all_at(bytes, at) {
            self.release(span);
            return Err(e).with_context(|| {
                format!("could not write the scratch file {}", self.path.display())
            });
        }
        Ok(span)
    }

    /// The bytes put at `span`.
    #[cfg(unix)]
    pub(crate) fn get(&self, span: Span) -> Result<Vec<u8>> {
        use std::os::unix::fs::FileExt as _;
        let mut buf = vec![0; span.len as usize];
        self.file(span)
            .read_exact_at(&mut buf, span.at)
            .with_context(|| format!("could not read the scratch file {}", self.path.display()))?;
        Ok(buf)
    }

    /// Elsewhere nothing is spilled (see [`Spill::put`]'s callers: the bytes stay in memory).
    #[cfg(not(unix))]
    pub(crate) fn put(&self, _: &[u8]) -> Result<Span> {
        anyhow::bail!("no positional writes on this system")
    }

    #[cfg(not(unix))]
    pub(crate) fn get(&self, _: Span) -> Result<Vec<u8>> {
        anyhow::bail!("no positional reads on this system")
    }

    /// The bytes put at `span`, given to `f` as text. Checked with `simdutf8` (see
    /// [`crate::fsx::utf8`]), not copied into a `String`: what reads a body back only looks at
    /// it (a template's value, slices of section texts).
    pub(crate) fn with_str<R>(&self, span: Span, f: impl FnOnce(&str) -> R) -> Result<R> {
        let bytes = self.get(span)?;
        let text = crate::fsx::utf8(&bytes).with_context(|| {
            format!(
                "the scratch file {} no longer holds what was written",
                self.path.display()
            )
        })?;
        Ok(f(text))
    }

    /// The bytes put at `span`, as text.
    pub(crate) fn get_string(&self, span: Span) -> Result<String> {
        String::from_utf8(self.get(span)?).with_context(|| {
            format!(
                "the scratch file {} no longer holds what was written",
                self.path.display()
            )
        })
    }

    /// Give every byte of a one-off build's files back to the file system now, when nothing
    /// will read them again (a read after it fails). Without it they went when the files were
    /// closed, at the process's exit, which waited for it: ~140 MB at 10,000 documents with
    /// their Spanish translations, on a memory file system too (`/dev/shm`). `lmp serve`'s
    /// files ([`Spill::reusing`]) are left as they are.
    pub(crate) fn give_back(&self) {
        if self.free.is_some() {
            return;
        }
        for lane in &self.lanes {
            if let Err(e) = lane.file.set_len(0) {
                log::debug!("could not empty {}: {e}", self.path.display());
            }
        }
    }

    /// Bytes reserved so far: the end of the last part in use (with the free runs below it),
    /// of every file.
    pub(crate) fn size(&self) -> u64 {
        self.lanes
            .iter()
            .map(|l| l.len.load(Ordering::Relaxed))
            .sum()
    }

    /// Bytes of the parts in use now ([`Spill::reusing`]; else every byte written).
    #[cfg(test)]
    pub(crate) fn live(&self) -> u64 {
        match &self.free {
            Some(f) => f.lock().map(|f| f.live).unwrap_or_default(),
            None => self.size(),
        }
    }

    /// `span` is no longer used by anyone (a [`Held`] that went): in a reusing file its blocks
    /// are given back to the file system, then made free for the next part; elsewhere nothing.
    fn release(&self, span: Span) {
        let Some(free) = &self.free else {
            return;
        };
        let block = free
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .block;
        let len = u64::from(span.len);
        let whole = round_up(len, block);
        // Punched before the space is free: a part put there after is never zeroed.
        if whole > 0 {
            self.punch(span.at, whole);
        }
        let mut f = free
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f.live = f.live.saturating_sub(len);
        if whole > 0 {
            f.give(span.at, whole);
        }
        self.lanes[0].len.store(f.end, Ordering::Relaxed);
    }

    /// Give the disk blocks of `[at, at + len)` back to the file system (its bytes then read as
    /// zeros); whether the system did. Only where the system can (Linux); elsewhere the file
    /// keeps them until it is closed (a freed part's place is still reused).
    fn punch(&self, at: u64, len: u64) -> bool {
        #[cfg(any(target_os = "linux", target_os = "android"))]
        {
            use rustix::fs::FallocateFlags;
            let mode = FallocateFlags::PUNCH_HOLE | FallocateFlags::KEEP_SIZE;
            match rustix::fs::fallocate(&*self.lanes[0].file, mode, at, len) {
                Ok(()) => true,
                Err(e) => {
                    log::debug!("could not free a part of {}: {e}", self.path.display());
                    false
                }
            }
        }
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        {
            let _ = (at, len);
            false
        }
    }
}

/// The file system's block for `file` (what a punched hole frees whole), between 4 kB and 64 kB.
fn block_size(file: &fs::File) -> u64 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        file.metadata()
            .map(|m| m.blksize())
            .unwrap_or(4096)
            .clamp(4096, 65536)
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        4096
    }
}

/// Bytes kept in a [`Spill`] for as long as this handle lives: a page that `lmp serve` serves
/// from disk rather than from memory, or a body it keeps. When the last build and request
/// holding it (through an `Arc`) let it go, its blocks are given back and its place reused (in a
/// [`Spill::reusing`] file), so the file takes the space of the pages served now, not of every
/// page rendered since `serve` started.
#[derive(Debug)]
pub(crate) struct Held {
    spill: Arc<Spill>,
    span: Span,
}

impl Held {
    /// `bytes` written to `spill`.
    pub(crate) fn put(spill: &Arc<Spill>, bytes: &[u8]) -> Result<Held> {
        Ok(Held {
            spill: spill.clone(),
            span: spill.put(bytes)?,
        })
    }

    /// The bytes, read back.
    pub(crate) fn read(&self) -> Result<Vec<u8>> {
        self.spill.get(self.span)
    }

    /// The bytes, read back and given to `f` as text (see [`Spill::with_str`]).
    pub(crate) fn with_str<R>(&self, f: impl FnOnce(&str) -> R) -> Result<R> {
        self.spill.with_str(self.span, f)
    }

    /// The bytes, read back as text.
    pub(crate) fn read_string(&self) -> Result<String> {
        self.spill.get_string(self.span)
    }

    /// `len` of the bytes from the `from`-th, read back as text (a part of what was put: the
    /// search index reads one shard's positions out of a column of them).
    pub(crate) fn read_string_at(&self, from: u64, len: u64) -> Result<String> {
        anyhow::ensure!(
            from.checked_add(len)
                .is_some_and(|end| end <= u64::from(self.span.len)),
            "bytes {from}..{} asked of a part of {} in the scratch file {}",
            from.saturating_add(len),
            self.span.len,
            self.spill.path.display()
        );
        let span = Span {
            at: self.span.at + from,
            // Within the part's own length, itself a u32.
            len: len as u32,
            lane: self.span.lane,
        };
        self.spill.get_string(span)
    }

    /// Where the bytes are (a handle that lives longer than this one may say nothing else).
    pub(crate) fn span(&self) -> Span {
        self.span
    }

    /// The scratch file, and where the bytes are in it (offset and length): what a response is
    /// sent from (while it holds this handle: see `crate::serve::server::Body::File`).
    pub(crate) fn part(&self) -> (Arc<fs::File>, u64, u64) {
        (
            self.spill.file(self.span).clone(),
            self.span.at,
            u64::from(self.span.len),
        )
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        self.spill.release(self.span);
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// `crate::fsx::utf8` (simdutf8) answers as `std::str::from_utf8` does: texts of every
    /// length around its 32- and 64-byte blocks, made of ASCII, Spanish, other scripts and
    /// emoji, then with one byte changed (a stray continuation byte, a cut character, an overlong
    /// form, a surrogate, a byte never in UTF-8) at any place.
    #[test]
    fn utf8_check_answers_as_the_standard_librarys() {
        let mut next = crate::util::rng(0x853c_49e6_748f_ea9b);
        let pieces = [
            "a", "Año ", "región", "ñ", "€", "𝄞", "—", "\n", "<p>", "中文", "é",
        ];
        let bad: [&[u8]; 7] = [
            b"\x80",
            b"\xc3",
            b"\xe2\x82",
            b"\xc0\xaf",
            b"\xed\xa0\x80",
            b"\xff",
            b"\xf4\x90\x80\x80",
        ];
        for round in 0..20_000 {
            let mut text = Vec::new();
            let want = next(140);
            while text.len() < want {
                text.extend_from_slice(pieces[next(pieces.len())].as_bytes());
            }
            if round % 2 == 1 {
                let at = next(text.len() + 1);
                let b = bad[next(bad.len())];
                text.splice(at..at, b.iter().copied());
            }
            assert_eq!(
                crate::fsx::utf8(&text).ok(),
                std::str::from_utf8(&text).ok(),
                "{text:?}"
            );
        }
    }

    /// Text put in the scratch file comes back to `with_str` as it went; bytes there that are
    /// no longer UTF-8 (the file changed under the build) are an error, not text.
    #[test]
    fn text_read_back_is_checked() {
        let dir = std::env::temp_dir().join(format!("lmp-spill-utf8-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let s = Arc::new(Spill::create(&dir).unwrap());
        let text = "La región del Noroeste: 1.347 equipos de unidad. ".repeat(40);
        let held = Held::put(&s, text.as_bytes()).unwrap();
        assert_eq!(held.with_str(str::to_string).unwrap(), text);
        let cut = Held::put(&s, &text.as_bytes()[..text.find('ó').unwrap() + 1]).unwrap();
        let e = cut.with_str(|_| ()).unwrap_err();
        assert!(
            format!("{e:#}").contains("no longer holds what was written"),
            "{e:#}"
        );
        drop((held, cut, s));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn bytes_come_back_from_any_thread_and_no_file_is_left() {
        let dir = std::env::temp_dir().join(format!("lmp-spill-test-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let s = Spill::create(&dir).unwrap();
        let spans: Vec<(String, Span)> = std::thread::scope(|sc| {
            let hs: Vec<_> = (0..8)
                .map(|i| {
                    let s = &s;
                    sc.spawn(move || {
                        (0..50)
                            .map(|j| {
                                let t = format!("body {i}/{j} ").repeat(j + 1);
                                let span = s.put(t.as_bytes()).unwrap();
                                (t, span)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            hs.into_iter().flat_map(|h| h.join().unwrap()).collect()
        });
        for (t, span) in &spans {
            assert_eq!(&s.get_string(*span).unwrap(), t);
        }
        assert_eq!(
            s.size(),
            spans.iter().map(|(t, _)| t.len() as u64).sum::<u64>()
        );
        assert_eq!(
            fs::read_dir(&dir).unwrap().count(),
            0,
            "the file is unlinked"
        );
        drop(s);
        fs::remove_dir(&dir).unwrap();
    }

    /// A folder of its own for one test, in the system's temporary folder.
    fn scratch_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("lmp-{name}-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Disk bytes the file takes now (its allocated blocks).
    fn on_disk(s: &Spill) -> u64 {
        use std::os::unix::fs::MetadataExt as _;
        s.lanes[0].file.metadata().unwrap().blocks() * 512
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn a_held_part_gives_its_blocks_back_when_its_last_handle_goes() {
        let dir = scratch_dir("held-test");
        let s = Arc::new(Spill::reusing(&dir).unwrap());
        let page = vec![b'x'; 256 * 1024];
        let held: Vec<Arc<Held>> = (0..8)
            .map(|_| Arc::new(Held::put(&s, &page).unwrap()))
            .collect();
        let full = on_disk(&s);
        assert!(full >= 8 * 256 * 1024, "{full} bytes on disk");
        // A second handle keeps the bytes; the last one frees them.
        let kept = held[0].clone();
        let probe = Held::put(&s, b"probe").unwrap();
        // Whether this file system frees parts of files at all (tmpfs and ext4 do).
        let punched = s.punch(probe.span.at, 4096);
        drop(held);
        assert_eq!(kept.read().unwrap(), page);
        if punched {
            let after = on_disk(&s);
            assert!(
                after <= full / 8 + 64 * 512,
                "{full} bytes before, {after} after dropping 7 of 8 parts"
            );
        }
        let (f, at, len) = kept.part();
        assert_eq!((at, len), (0, page.len() as u64));
        drop((f, kept, probe, s));
        fs::remove_dir(&dir).unwrap();
    }

    /// The page of `round` number `i`: its own bytes, of a size that is no multiple of a block
    /// and changes from one round to the next (as a re-rendered page's does).
    fn page(round: usize, i: usize) -> Vec<u8> {
        let len = 1_000 + (i * 7_919 + round * 131) % 12_000;
        format!("<p>round {round} page {i}</p>")
            .bytes()
            .cycle()
            .take(len)
            .collect()
    }

    /// QA Q127: `serve` re-renders its pages on every rebuild; the old ones go when no request
    /// uses them. The file must stay near the size of the pages alive now: before, each part
    /// started where the last ended, so the blocks shared by neighbours were never freed (about
    /// 4 kB per page per rebuild) and the file only grew.
    #[test]
    fn rebuilt_pages_reuse_the_space_of_the_pages_they_replace() {
        let dir = scratch_dir("reuse-test");
        let s = Arc::new(Spill::reusing(&dir).unwrap());
        let n = 200;
        let mut live: Vec<Held> = (0..n)
            .map(|i| Held::put(&s, &page(0, i)).unwrap())
            .collect();
        let first_size = s.size();
        let first_disk = on_disk(&s);
        let mut most = (0, 0);
        for round in 1..=30 {
            // A rebuild: every page made again while the old ones are still served, then the
            // old ones let go (in an order of their own, as requests finish).
            let new: Vec<Held> = (0..n)
                .map(|i| Held::put(&s, &page(round, i)).unwrap())
                .collect();
            let mut old = std::mem::replace(&mut live, new);
            while !old.is_empty() {
                let k = (round * 37) % old.len();
                drop(old.swap_remove(k));
            }
            most = (most.0.max(s.size()), most.1.max(on_disk(&s)));
            for (i, h) in live.iter().enumerate() {
                assert_eq!(h.read().unwrap(), page(round, i), "round {round} page {i}");
            }
        }
        let live_bytes: u64 = (0..n).map(|i| page(30, i).len() as u64).sum();
        assert_eq!(s.live(), live_bytes);
        // Two sets of pages at once (old and new), each part rounded up to whole blocks; the
        // old code reached 30 times the first size.
        assert!(
            most.0 <= 3 * first_size,
            "the file reached {} bytes; {first_size} after the first build",
            most.0
        );
        if s.punch(s.size(), 4096) {
            assert!(
                most.1 <= 3 * first_disk,
                "the file took {} bytes of disk; {first_disk} after the first build",
                most.1
            );
        }
        drop(live);
        assert_eq!((s.live(), s.size()), (0, 0), "everything given back");
        if s.punch(0, 4096) {
            assert!(on_disk(&s) <= 4096, "{} bytes left on disk", on_disk(&s));
        }
        drop(s);
        fs::remove_dir(&dir).unwrap();
    }

    /// Parts put and let go from many threads at once never overlap: each reads back its own
    /// bytes, whatever was freed and reused around it meanwhile.
    #[test]
    fn parts_reused_from_many_threads_keep_their_own_bytes() {
        let dir = scratch_dir("reuse-threads");
        let s = Arc::new(Spill::reusing(&dir).unwrap());
        std::thread::scope(|sc| {
            for t in 0..6 {
                let s = &s;
                sc.spawn(move || {
                    let mut mine: Vec<(Vec<u8>, Held)> = Vec::new();
                    for round in 0..300 {
                        let bytes = page(round, t * 1000 + round % 17);
                        mine.push((bytes.clone(), Held::put(s, &bytes).unwrap()));
                        if round % 3 == 0 {
                            let k = (round * 13 + t) % mine.len();
                            let (b, h) = mine.swap_remove(k);
                            assert_eq!(h.read().unwrap(), b);
                        }
                    }
                    for (b, h) in &mine {
                        assert_eq!(&h.read().unwrap(), b);
                    }
                });
            }
        });
        assert_eq!((s.live(), s.size()), (0, 0));
        drop(s);
        fs::remove_dir(&dir).unwrap();
    }

    /// A one-off build's worker threads each write into a file of their own (no thread waits
    /// for another's write to finish); every part comes back whole from any thread, and no
    /// file is left behind.
    #[test]
    fn parts_written_by_the_pools_threads_come_back_from_any_thread() {
        use rayon::prelude::*;
        let dir = scratch_dir("lanes");
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .unwrap();
        let s = pool.install(|| Spill::create(&dir)).unwrap();
        assert_eq!(s.lanes.len(), 4, "a file per worker thread");
        let parts: Vec<(Vec<u8>, Span)> = pool.install(|| {
            (0..400)
                .into_par_iter()
                .map(|i| {
                    let bytes = page(1, i);
                    let span = s.put(&bytes).unwrap();
                    (bytes, span)
                })
                .collect()
        });
        let files: std::collections::BTreeSet<u16> = parts.iter().map(|(_, sp)| sp.lane).collect();
        assert!(files.len() > 1, "the threads wrote into {files:?}");
        // Read back from other threads than the writers, in another order.
        let back: Vec<Vec<u8>> = parts
            .iter()
            .rev()
            .map(|(_, sp)| s.get(*sp).unwrap())
            .collect();
        for ((bytes, _), got) in parts.iter().zip(back.iter().rev()) {
            assert_eq!(bytes, got);
        }
        assert_eq!(
            s.size(),
            parts.iter().map(|(b, _)| b.len() as u64).sum::<u64>()
        );
        assert_eq!(
            fs::read_dir(&dir).unwrap().count(),
            0,
            "the files are unlinked"
        );
        drop(s);
        fs::remove_dir(&dir).unwrap();
    }

    /// A one-off build's file is written once, one part after the other: nothing rounded up.
    #[test]
    fn a_one_off_file_packs_its_parts() {
        let dir = scratch_dir("packed");
        let s = Arc::new(Spill::create(&dir).unwrap());
        let held: Vec<Held> = (0..10)
            .map(|i| Held::put(&s, &page(0, i)).unwrap())
            .collect();
        let total: u64 = (0..10).map(|i| page(0, i).len() as u64).sum();
        assert_eq!(s.size(), total);
        drop(held);
        assert_eq!(s.size(), total, "kept until the file goes");
        drop(s);
        fs::remove_dir(&dir).unwrap();
    }
}
