//! The one place that touches `std::fs`. Every error names the path it is about; writes of the
//! output go to a staging directory that is swapped in whole, so a failed build never leaves a
//! half-written output behind.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

pub(crate) mod ahead;
pub(crate) mod output;
pub(crate) mod spill;

/// The bytes of one output file, shared: an incremental rebuild reuses the bytes of every file
/// whose inputs did not change, and `serve` compares outputs by pointer before comparing bytes.
pub type Bytes = std::sync::Arc<Vec<u8>>;

/// A site's output in memory: output-relative path → bytes.
pub type Files = std::collections::BTreeMap<String, Bytes>;

/// A file on disk whose content digest is known without reading it: an image-cache file or a
/// site's static file, which the output gets as a copy (`lmp build`) or which `lmp serve` reads
/// from disk per request, never holding it in memory; or a page `lmp serve` rendered, kept in
/// its scratch file ([`OnDisk::held`]).
#[derive(Debug)]
pub struct OnDisk {
    /// The file; for a page in `serve`'s scratch file, a name for messages only.
    pub path: PathBuf,
    /// xxh3-128 of its bytes.
    pub digest: u128,
    pub size: u64,
    /// Where the bytes are when they are not a file of their own: a part of `serve`'s scratch
    /// file, given back when the last `Arc` of this value goes (see [`spill::Held`]).
    pub(crate) held: Option<spill::Held>,
}

impl PartialEq for OnDisk {
    /// The same file with the same content (where a held page is kept does not matter).
    fn eq(&self, other: &OnDisk) -> bool {
        (self.path.as_path(), self.digest, self.size)
            == (other.path.as_path(), other.digest, other.size)
    }
}

impl Eq for OnDisk {}

impl OnDisk {
    /// A file of its own (`digest` and `size`: its content's).
    pub(crate) fn file(path: PathBuf, digest: u128, size: u64) -> OnDisk {
        OnDisk {
            path,
            digest,
            size,
            held: None,
        }
    }

    /// `bytes` kept in `spill` (a page of `lmp serve`: see [`spill::Held`]), named `name` in
    /// messages.
    pub(crate) fn held(
        spill: &std::sync::Arc<spill::Spill>,
        name: &str,
        bytes: &[u8],
    ) -> Result<OnDisk> {
        Ok(OnDisk {
            path: PathBuf::from(name),
            digest: xxhash_rust::xxh3::xxh3_128(bytes),
            size: bytes.len() as u64,
            held: Some(spill::Held::put(spill, bytes)?),
        })
    }

    /// The whole content.
    pub(crate) fn read(&self) -> Result<Vec<u8>> {
        match &self.held {
            Some(h) => h.read(),
            None => read(&self.path),
        }
    }

    /// An open file and where the content is in it (offset, length now), to send it from.
    pub(crate) fn open(&self) -> Result<(std::sync::Arc<File>, u64, u64)> {
        match &self.held {
            Some(h) => Ok(h.part()),
            None => {
                let (f, len) = open_read(&self.path)?;
                Ok((std::sync::Arc::new(f), 0, len))
            }
        }
    }
}

/// The files of an output left on disk (`lmp serve`): output-relative path → where they are.
/// Their paths are in the build's [`Files`] too, with no bytes (see `crate::site::streamed`).
pub type Disk = std::collections::BTreeMap<String, std::sync::Arc<OnDisk>>;

/// A file opened for reading, with its size now (what `lmp serve` sends from).
pub(crate) fn open_read(path: &Path) -> Result<(fs::File, u64)> {
    let f = fs::File::open(path).with_context(|| format!("could not open {}", path.display()))?;
    let len = f
        .metadata()
        .with_context(|| format!("could not read {}", path.display()))?
        .len();
    Ok((f, len))
}

/// An open file (see [`open_read`]), for modules that may not name `std::fs`.
pub(crate) type File = fs::File;

/// Read from `f` at `offset`, leaving its position alone (a file several threads send from at
/// once: `serve`'s scratch file of pages).
#[cfg(unix)]
pub(crate) fn read_at_pos(f: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    use std::os::unix::fs::FileExt as _;
    f.read_at(buf, offset)
}

#[cfg(windows)]
pub(crate) fn read_at_pos(f: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    use std::os::windows::fs::FileExt as _;
    f.seek_read(buf, offset)
}

pub(crate) fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).with_context(|| format!("could not read {}", path.display()))
}

pub(crate) fn read_to_string(path: &Path) -> Result<String> {
    fs::read_to_string(path).with_context(|| format!("could not read {}", path.display()))
}

/// A `… kB` line of `/proc/self/status` (Linux), e.g. `VmRSS` (resident memory now) or `VmHWM`
/// (its peak), in KiB; `None` elsewhere.
pub(crate) fn proc_status_kib(key: &str) -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status
        .lines()
        .find(|l| l.strip_prefix(key).is_some_and(|r| r.starts_with(':')))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

pub(crate) fn exists(path: &Path) -> bool {
    path.exists()
}

pub(crate) fn is_file(path: &Path) -> bool {
    path.is_file()
}

pub(crate) fn is_dir(path: &Path) -> bool {
    path.is_dir()
}

/// `path` with its `.` parts and each `folder/..` taken out (`site/../themes/lmp` →
/// `themes/lmp`), as messages name paths: relative to where lmp runs. A `folder/..` stays
/// where `folder` is a link or not a folder, as the system would not read it the same way.
pub(crate) fn tidy(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    let mut normal = 0usize;
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir
                if normal > 0
                    && fs::symlink_metadata(&out).is_ok_and(|m| m.file_type().is_dir()) =>
            {
                out.pop();
                normal -= 1;
            }
            Component::Normal(_) => {
                out.push(c);
                normal += 1;
            }
            other => {
                out.push(other);
                normal = 0;
            }
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

pub(crate) fn file_size(path: &Path) -> Option<u64> {
    fs::metadata(path)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len())
}

/// Absolute, symlink-resolved path when the path exists; otherwise the absolute path of its
/// nearest existing ancestor joined with the rest.
pub(crate) fn absolute(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = existing.canonicalize() {
            let mut out = c;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(p), Some(name)) => {
                rest.push(name.to_os_string());
                existing = p;
            }
            _ => return abs,
        }
    }
}

/// Whether files can be made in `dir`, or (when it is not there yet) in the nearest folder
/// above it that is, so that `dir` can be made: a probe file is written there and removed at
/// once; nothing else is made. A read-only disk, a locked folder (`chattr +i`, which stops root
/// too) or a folder of someone else's says no.
pub(crate) fn can_write_in(dir: &Path) -> bool {
    let Some(there) = dir.ancestors().find(|a| a.is_dir()) else {
        return false;
    };
    let probe = there.join(format!(".lmp-probe-{}", std::process::id()));
    let made = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
        .is_ok();
    if made {
        let _ = fs::remove_file(&probe);
    }
    made
}

/// Where a command writes: the output folder (`build`, `serve`, `check`'s caches), or the
/// site folder itself (`lmp new`), whose way out of a read-only or full disk differs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Writes {
    Output,
    Site,
}

/// Plain words for a file system error that stopped a command (the commands' and the build's) (QA s11: a read-only output
/// folder said only "could not swap the new output into public: Operation not permitted (os
/// error 1)"): what it means and what to do. The build's own output is left as it was.
pub(crate) fn io_help(e: &anyhow::Error, writes: Writes) -> Option<&'static str> {
    let io = e.chain().find_map(|c| c.downcast_ref::<std::io::Error>())?;
    io_error_help(io, writes)
}

/// [`io_help`] of one I/O error.
pub(crate) fn io_error_help(io: &std::io::Error, writes: Writes) -> Option<&'static str> {
    let site = writes == Writes::Site;
    Some(match io.raw_os_error() {
        // QA s12: `lmp new` on a read-only disk was told to build into another folder.
        Some(libc::EACCES | libc::EPERM) if site => {
            "you may not write in the site's folder: it is read-only, locked or belongs to someone else. Make it writable (on a shared drive, ask whoever manages it), or copy the whole project folder to a folder of your own and work there"
        }
        Some(libc::EROFS) if site => {
            "that disk is read-only (a CD, a locked USB stick, a network share opened read-only): copy the whole project folder to a disk you can write to (your Documents folder) and run `lmp new` there"
        }
        Some(libc::ENOSPC | libc::EDQUOT) if site => {
            "the disk is full (or your share of it is used up): free some space and run `lmp new` again; nothing was written"
        }
        Some(libc::EACCES | libc::EPERM) => {
            "you may not write there: the folder (or the one it is in) is read-only, locked or belongs to someone else. Make it writable, or build into another folder: `lmp build --out FOLDER`"
        }
        Some(libc::EROFS) => {
            "that disk is read-only (a CD, a locked USB stick, a network share opened read-only): build into a folder on another disk with `lmp build --out FOLDER`"
        }
        Some(libc::ENOSPC | libc::EDQUOT) => {
            "the disk is full (or your share of it is used up): free some space, or build onto another disk with `lmp build --out FOLDER`"
        }
        Some(libc::ENAMETOOLONG) => {
            "a file or folder name is too long for this disk: shorten the site folder's path or the file's name"
        }
        _ => return None,
    })
}

/// Create (or overwrite) a new file with all of its parent directories.
pub(crate) fn create_file_new(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("could not create {}", parent.display()))?;
    }
    use std::io::Write as _;
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("could not create {}", path.display()))?;
    let written = f
        .write_all(bytes)
        .and_then(|()| f.sync_all())
        .with_context(|| format!("could not write {}", path.display()));
    if written.is_err() {
        // A full disk: no half-written file is left behind (`lmp new` may be run again).
        drop(f);
        let _ = fs::remove_file(path);
    }
    written
}

/// Write `path` whole, replacing it in one step (a temporary file beside it, then a rename), with
/// its parent directories; for caches, which a killed run must never leave half written.
pub(crate) fn write_replacing(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("could not create {}", parent.display()))?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".{}.tmp", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let written = fs::write(&tmp, bytes).and_then(|()| fs::rename(&tmp, path));
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written.with_context(|| format!("could not write {}", path.display()))
}

/// Create a folder with its parents.
pub(crate) fn create_dir_all(path: &Path) -> Result<()> {
    fs::create_dir_all(path).with_context(|| format!("could not create {}", path.display()))
}

/// A symbolic link at `link` to `target` (tests).
#[cfg(all(test, unix))]
pub(crate) fn symlink(target: &Path, link: &Path) -> Result<()> {
    std::os::unix::fs::symlink(target, link)
        .with_context(|| format!("could not link {} to {}", link.display(), target.display()))
}

/// What `stat` says of a file, to tell whether it changed since it was last read without
/// reading it (git's index does the same): size, modification time (ns) and inode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Stat {
    pub size: u64,
    pub mtime_ns: i128,
    pub ino: u64,
}

/// The [`Stat`] of a regular file (symlinks followed), opened to check that it can be read.
pub(crate) fn stat(path: &Path) -> Result<Stat> {
    let m = fs::File::open(path)
        .and_then(|f| f.metadata())
        .with_context(|| format!("could not read {}", path.display()))?;
    Ok(stat_of(&m))
}

#[cfg(unix)]
fn stat_of(m: &fs::Metadata) -> Stat {
    use std::os::unix::fs::MetadataExt as _;
    Stat {
        size: m.len(),
        mtime_ns: m.mtime() as i128 * 1_000_000_000 + m.mtime_nsec() as i128,
        ino: m.ino(),
    }
}

#[cfg(not(unix))]
fn stat_of(m: &fs::Metadata) -> Stat {
    let mtime_ns = m
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128);
    Stat {
        size: m.len(),
        mtime_ns,
        ino: 0,
    }
}

#[cfg(unix)]
fn same_inode(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_inode(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    false
}

/// At most the first `n` bytes of a file.
pub(crate) fn read_prefix(path: &Path, n: usize) -> Result<Vec<u8>> {
    use std::io::Read as _;
    let f = fs::File::open(path).with_context(|| format!("could not read {}", path.display()))?;
    let mut out = Vec::with_capacity(n.min(1 << 16));
    f.take(n as u64)
        .read_to_end(&mut out)
        .with_context(|| format!("could not read {}", path.display()))?;
    Ok(out)
}

/// At most `n` bytes of a file from byte `offset` (fewer at its end).
pub(crate) fn read_at(path: &Path, offset: u64, n: usize) -> Result<Vec<u8>> {
    use std::io::{Read as _, Seek as _};
    let mut f =
        fs::File::open(path).with_context(|| format!("could not read {}", path.display()))?;
    f.seek(io::SeekFrom::Start(offset))
        .with_context(|| format!("could not read {}", path.display()))?;
    let mut out = Vec::with_capacity(n.min(1 << 16));
    f.take(n as u64)
        .read_to_end(&mut out)
        .with_context(|| format!("could not read {}", path.display()))?;
    Ok(out)
}

/// The xxh3-128 digest and size of a file, read in blocks (never whole in memory), with the
/// [`Stat`] it had when opened.
pub(crate) fn hash_file(path: &Path) -> Result<(u128, Stat)> {
    use std::io::Read as _;
    let mut f =
        fs::File::open(path).with_context(|| format!("could not read {}", path.display()))?;
    let st = f
        .metadata()
        .map(|m| stat_of(&m))
        .with_context(|| format!("could not read {}", path.display()))?;
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => h.update(buf.get(..n).unwrap_or_default()),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e).with_context(|| format!("could not read {}", path.display())),
        }
    }
    Ok((h.digest128(), st))
}

/// Put a copy of `src` at `dest` (which must not exist): `copy_file_range` where the system has
/// it (the bytes never pass through our memory; a reflink on file systems that share blocks), a
/// new file of its own, never a hard link (see `output::Staging::put_file`).
pub(crate) fn copy_file(src: &Path, dest: &Path) -> Result<()> {
    // Never copy a file onto itself (that empties it).
    if let (Ok(a), Ok(b)) = (fs::metadata(src), fs::metadata(dest))
        && same_inode(&a, &b)
    {
        fs::remove_file(dest).with_context(|| format!("could not remove {}", dest.display()))?;
    }
    fs::copy(src, dest)
        .map(|_| ())
        .with_context(|| format!("could not copy {} to {}", src.display(), dest.display()))
}

fn remove_dir_if_exists(p: &Path) -> Result<()> {
    if p.is_file() || p.is_symlink() {
        return fs::remove_file(p).with_context(|| format!("could not remove {}", p.display()));
    }
    match fs::remove_dir_all(p) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("could not remove {}", p.display())),
    }
}

/// Every regular file under `dir`, as (path relative to `dir` with `/` separators, path),
/// sorted. Hidden files and folders (starting with `.`) are skipped. A missing dir gives nothing.
/// Problems (unreadable folders, symlinks not followed, special files) are dropped: use [`walk`]
/// where they must be reported.
#[cfg(test)]
pub(crate) fn walk_files(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    Ok(walk(dir, dir).files)
}

/// The files of a folder and what could not be walked.
#[derive(Debug, Default)]
pub(crate) struct Walk {
    /// (path relative to the walked folder with `/`, path to read), sorted.
    pub files: Vec<(String, PathBuf)>,
    /// Each problem with its own path, in walk order.
    pub problems: Vec<WalkProblem>,
    /// The files reached through a symlink (to the file or to a folder above it): relative path
    /// → the real file, so a watcher's change to the target can be traced to the link.
    pub linked: std::collections::BTreeMap<String, PathBuf>,
    /// Walking a `static/` folder: see [`walk_static`].
    statics: bool,
}

/// Whether a file or folder named `name` is walked: hidden entries are not, but in a `static/`
/// folder (`statics`) the ones a host reads are (`.well-known/`, `.nojekyll`, `.htaccess`), and
/// the clutter an operating system or an office suite leaves is not (`Thumbs.db`,
/// `desktop.ini`, `~$report.docx`, `notes.txt~`).
fn walked(name: &str, statics: bool) -> bool {
    if !statics {
        return !name.starts_with('.');
    }
    if name.starts_with('.') {
        return matches!(name, ".well-known" | ".nojekyll" | ".htaccess");
    }
    !(name.eq_ignore_ascii_case("thumbs.db")
        || name.eq_ignore_ascii_case("desktop.ini")
        || name.starts_with("~$")
        || name.ends_with('~'))
}

/// Something under a walked folder that is not a file to use: a folder that cannot be listed
/// (an error), a symlink that is not followed or a special file (warnings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WalkProblem {
    /// Relative to the walked folder, with `/`.
    pub rel: String,
    pub error: bool,
    pub message: String,
    pub help: String,
}

impl WalkProblem {
    /// As a diagnostic, with the walked folder shown as `display_dir`.
    pub(crate) fn diagnostic(&self, display_dir: &Path) -> crate::diagnostics::Diagnostic {
        use crate::diagnostics::Diagnostic;
        let path = if self.rel.is_empty() {
            display_dir.to_path_buf()
        } else {
            display_dir.join(&self.rel)
        };
        let d = if self.error {
            Diagnostic::error(path, 0, 0, self.message.clone())
        } else {
            Diagnostic::warning(path, 0, 0, self.message.clone())
        };
        d.with_help(self.help.clone())
    }
}

/// Walk `dir` (sorted; hidden entries skipped) under the symlink policy: a symlink whose target is
/// inside `root` (the site or theme folder) is followed, to a file or a folder; a symlink that
/// leaves `root`, is broken or loops is not followed and is reported with its path. A folder that
/// cannot be listed is reported with its path and the walk goes on with the rest.
pub(crate) fn walk(dir: &Path, root: &Path) -> Walk {
    walk_with(dir, root, Walk::default())
}

/// [`walk`] for a `static/` folder: the hidden files a host reads are published, and the clutter
/// of operating systems and editors is not (see [`walked`]).
pub(crate) fn walk_static(dir: &Path, root: &Path) -> Walk {
    walk_with(
        dir,
        root,
        Walk {
            statics: true,
            ..Walk::default()
        },
    )
}

fn walk_with(dir: &Path, root: &Path, mut w: Walk) -> Walk {
    if !dir.is_dir() {
        return w;
    }
    let root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut visiting = Vec::new();
    if let Ok(d) = fs::canonicalize(dir) {
        visiting.push(d);
    }
    walk_into(dir, "", &root, &mut visiting, &mut w);
    WALKED.with(|n| n.set(n.get().wrapping_add(w.files.len())));
    w
}

thread_local! {
    static WALKED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// How many files the walks of this thread have listed: tests read it to show that a stage
/// walks a folder once, not once per problem (QA s11: each missing picture walked static/).
#[cfg(test)]
pub(crate) fn walked_so_far() -> usize {
    WALKED.with(std::cell::Cell::get)
}

/// The names of the entries of `dir` that are UTF-8, sorted (none when it cannot be read).
pub(crate) fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    names
}

/// `bytes` as text when they are UTF-8, as `std::str::from_utf8` answers, checked by `simdutf8`
/// 32 or 64 bytes at a time whatever they hold: the standard library's check leaves its
/// word-at-a-time path at each non-ASCII character, and Spanish text has one every few dozen
/// bytes (session 13: the checks took x3.1 the samples of the English build's for x1.2 the
/// pages). For text lmp wrote itself and reads back (see [`crate::fsx::spill`]), and the content
/// files as read (`content::parse`, which copies the text checked).
pub(crate) fn utf8(bytes: &[u8]) -> Result<&str, simdutf8::basic::Utf8Error> {
    simdutf8::basic::from_utf8(bytes)
}

/// `s` in Unicode normalisation form C (composed: `ñ` as one character), as typed; ASCII as is.
pub(crate) fn nfc(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization as _;
    if s.is_ascii() {
        return s.to_string();
    }
    s.nfc().collect()
}

/// Why a static file's name cannot be published under its own name (`None`: it can): bytes that
/// are not UTF-8 (a name from a system with another encoding), or a control character.
fn unlinkable(name: &std::ffi::OsStr) -> Option<&'static str> {
    match name.to_str() {
        None => Some("is not valid UTF-8 (it was saved by a system with another character set)"),
        Some(n) if n.chars().any(char::is_control) => {
            Some("holds a control character (a line break or a tab)")
        }
        Some(_) => None,
    }
}

fn walk_into(dir: &Path, prefix: &str, root: &Path, visiting: &mut Vec<PathBuf>, w: &mut Walk) {
    let statics = w.statics;
    let rel_of = |p: &Path| -> String {
        let r = p
            .strip_prefix(dir)
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/");
        let r = match (prefix.is_empty(), r.is_empty()) {
            (true, _) => r,
            (false, true) => prefix.to_string(),
            (false, false) => format!("{prefix}/{r}"),
        };
        // A static file is published under its name composed (NFC): a Mac, a zip file or a
        // git checkout made on one stores `niño.jpg` decomposed (n + U+0303), the way nobody
        // types it in a link.
        if statics { nfc(&r) } else { r }
    };
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || walked(&e.file_name().to_string_lossy(), statics));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let rel = e.path().map(&rel_of).unwrap_or_default();
                let cause = e
                    .io_error()
                    .map(|io| io.to_string())
                    .unwrap_or_else(|| e.to_string());
                w.problems.push(WalkProblem {
                    rel,
                    error: true,
                    message: format!("could not list this folder: {cause}"),
                    help:
                        "make the folder readable (check its permissions), or move it out of the \
                           site; everything in it was skipped"
                            .into(),
                });
                continue;
            }
        };
        let ft = entry.file_type();
        if ft.is_dir() {
            continue;
        }
        let rel = rel_of(entry.path());
        if statics && let Some(why) = unlinkable(entry.file_name()) {
            // QA Q64: `bad\xff.pdf` was published as `bad\u{FFFD}.pdf`, a name with a line
            // break as it is: no link can reach either.
            w.problems.push(WalkProblem {
                rel,
                error: false,
                message: format!("not published: the file's name {why}, so no link can reach it"),
                help: "rename it with letters, digits, `-`, `_` and `.` (e.g. `annual-report.pdf`) and link it by that name".into(),
            });
            continue;
        }
        if ft.is_file() {
            if !prefix.is_empty() {
                // Inside a followed folder link: `dir` is the link's real target.
                w.linked.insert(rel.clone(), entry.path().to_path_buf());
            }
            w.files.push((rel, entry.path().to_path_buf()));
        } else if ft.is_symlink() {
            follow_link(entry.path(), rel, root, visiting, w);
        } else {
            w.problems.push(WalkProblem {
                rel,
                error: false,
                message: "not a regular file (a pipe, socket or device); skipped".into(),
                help: "content and static files must be regular files".into(),
            });
        }
    }
}

/// Apply the symlink policy to the link at `link` (shown as `rel`).
fn follow_link(link: &Path, rel: String, root: &Path, visiting: &mut Vec<PathBuf>, w: &mut Walk) {
    let shown_target = fs::read_link(link)
        .map(|t| t.display().to_string())
        .unwrap_or_default();
    let target = match fs::canonicalize(link) {
        Ok(t) => t,
        Err(e) => {
            #[cfg(unix)]
            let looped = e.raw_os_error() == Some(libc::ELOOP);
            #[cfg(not(unix))]
            let looped = false;
            w.problems.push(WalkProblem {
                rel,
                error: false,
                message: if looped {
                    format!("symlink to {shown_target} loops; not followed")
                } else {
                    format!("broken symlink: {shown_target} does not exist; skipped")
                },
                help: "fix or remove the link".into(),
            });
            return;
        }
    };
    if !target.starts_with(root) {
        w.problems.push(WalkProblem {
            rel,
            error: false,
            message: format!(
                "symlink to {} leaves the folder {}; not followed",
                target.display(),
                root.display()
            ),
            help: "lmp follows only links that stay inside the site (or theme) folder: copy the \
                   file in, or link to a file inside the folder"
                .into(),
        });
        return;
    }
    if target.is_file() {
        w.linked.insert(rel.clone(), target);
        w.files.push((rel, link.to_path_buf()));
    } else if target.is_dir() {
        let inside_target = link
            .parent()
            .and_then(|p| fs::canonicalize(p).ok())
            .is_some_and(|p| p.starts_with(&target));
        if inside_target || visiting.iter().any(|v| v.starts_with(&target)) {
            w.problems.push(WalkProblem {
                rel,
                error: false,
                message: format!(
                    "symlink to {shown_target} points to a folder that contains it; not followed"
                ),
                help: "remove the link: it would make the folder contain itself".into(),
            });
            return;
        }
        visiting.push(target.clone());
        walk_into(&target, &rel, root, visiting, w);
        visiting.pop();
    } else {
        w.problems.push(WalkProblem {
            rel,
            error: false,
            message: format!(
                "symlink to {shown_target}, which is not a regular file or folder; skipped"
            ),
            help: "content and static files must be regular files".into(),
        });
    }
}
