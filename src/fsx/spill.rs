//! A scratch file for what a one-off build writes once and reads back later: the bodies' HTML and
//! section texts, from the markdown stage to the page that shows them (and the search index).
//! Held in memory, they were most of a build's peak (about 12 kB per document: 1.2 GB at
//! 100,000 documents); on disk they cost the page cache, which the system reclaims, not the
//! build's memory. The file is created next to the output (the same disk, not a `/tmp` that may
//! be memory) and unlinked at once, so nothing is left behind, even by a killed build.
//!
//! `lmp serve` keeps two for as long as it runs: one for the bodies (as a build does), one for
//! the pages it serves ([`Held`]: a page's blocks are given back to the file system when the
//! last build or request using it lets it go), so its memory grows with the site's metadata, not
//! with its output.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context as _, Result};

/// Where bytes were put in a [`Spill`]: offset and length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    at: u64,
    len: u32,
}

/// An unlinked scratch file, written and read from any thread at once (positional I/O).
#[derive(Debug)]
pub(crate) struct Spill {
    file: Arc<fs::File>,
    /// Bytes reserved so far (each [`Spill::put`] reserves its span first).
    len: AtomicU64,
    /// Where it was created (for messages).
    path: PathBuf,
}

impl Spill {
    /// A new scratch file in `dir` (which must exist), already unlinked.
    pub(crate) fn create(dir: &Path) -> Result<Spill> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!(".lmp-spill-{}-{n}", std::process::id()));
        let file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
            .with_context(|| format!("could not create the scratch file {}", path.display()))?;
        // Open, it lives on without a name: removed with the process, however it ends.
        fs::remove_file(&path)
            .with_context(|| format!("could not remove the scratch file {}", path.display()))?;
        Ok(Spill {
            file: Arc::new(file),
            len: AtomicU64::new(0),
            path,
        })
    }

    /// Write `bytes` at the end; where to read them back.
    #[cfg(unix)]
    pub(crate) fn put(&self, bytes: &[u8]) -> Result<Span> {
        use std::os::unix::fs::FileExt as _;
        let len = u32::try_from(bytes.len())
            .with_context(|| format!("{} bytes are too many for one span", bytes.len()))?;
        let at = self.len.fetch_add(u64::from(len), Ordering::Relaxed);
        self.file
            .write_all_at(bytes, at)
            .with_context(|| format!("could not write the scratch file {}", self.path.display()))?;
        Ok(Span { at, len })
    }

    /// The bytes put at `span`.
    #[cfg(unix)]
    pub(crate) fn get(&self, span: Span) -> Result<Vec<u8>> {
        use std::os::unix::fs::FileExt as _;
        let mut buf = vec![0; span.len as usize];
        self.file
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

    /// The bytes put at `span`, as text.
    pub(crate) fn get_string(&self, span: Span) -> Result<String> {
        String::from_utf8(self.get(span)?).with_context(|| {
            format!(
                "the scratch file {} no longer holds what was written",
                self.path.display()
            )
        })
    }

    /// Bytes written so far.
    pub(crate) fn size(&self) -> u64 {
        self.len.load(Ordering::Relaxed)
    }

    /// Give the disk blocks of `span` back to the file system (its bytes then read as zeros);
    /// whether the system did. Only where the system can (Linux); elsewhere the file keeps them
    /// until it is closed.
    fn punch(&self, span: Span) -> bool {
        #[cfg(any(target_os = "linux", target_os = "android"))]
        {
            use rustix::fs::FallocateFlags;
            let mode = FallocateFlags::PUNCH_HOLE | FallocateFlags::KEEP_SIZE;
            match rustix::fs::fallocate(&*self.file, mode, span.at, u64::from(span.len)) {
                Ok(()) => true,
                Err(e) => {
                    log::debug!("could not free a part of {}: {e}", self.path.display());
                    false
                }
            }
        }
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        {
            let _ = span;
            false
        }
    }
}

/// Bytes kept in a [`Spill`] for as long as this handle lives: a page that `lmp serve` serves
/// from disk rather than from memory. When the last build and request holding it (through an
/// `Arc` of the [`crate::fsx::OnDisk`] it is in) let it go, its blocks are given back (see
/// [`Spill::punch`]), so the file takes the space of the pages served now, not of every page
/// rendered since `serve` started.
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

    /// The scratch file, and where the bytes are in it (offset and length): what a response is
    /// sent from.
    pub(crate) fn part(&self) -> (Arc<fs::File>, u64, u64) {
        (
            self.spill.file.clone(),
            self.span.at,
            u64::from(self.span.len),
        )
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        self.spill.punch(self.span);
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

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

    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn a_held_part_gives_its_blocks_back_when_its_last_handle_goes() {
        use std::os::unix::fs::MetadataExt as _;
        let dir = std::env::temp_dir().join(format!("lmp-held-test-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let s = Arc::new(Spill::create(&dir).unwrap());
        let blocks = |s: &Spill| s.file.metadata().unwrap().blocks();
        let page = vec![b'x'; 256 * 1024];
        let held: Vec<Arc<Held>> = (0..8)
            .map(|_| Arc::new(Held::put(&s, &page).unwrap()))
            .collect();
        let full = blocks(&s);
        assert!(full >= 8 * 256 * 2, "{full} blocks of 512 bytes");
        // A second handle keeps the bytes; the last one frees them.
        let kept = held[0].clone();
        let probe = Held::put(&s, b"probe").unwrap();
        // Whether this file system frees parts of files at all (tmpfs and ext4 do).
        let punched = s.punch(probe.span);
        drop(held);
        assert_eq!(kept.read().unwrap(), page);
        if punched {
            let after = blocks(&s);
            assert!(
                after <= full / 8 + 64,
                "{full} blocks before, {after} after dropping 7 of 8 parts"
            );
        }
        let (f, at, len) = kept.part();
        assert_eq!((at, len), (0, page.len() as u64));
        drop((f, kept, probe, s));
        fs::remove_dir(&dir).unwrap();
    }
}
