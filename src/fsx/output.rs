//! The output folder: which folders `lmp build` may replace, the lock held while it writes, the
//! staging folder and the swap.
//!
//! The rule: an output folder is lmp's or it is refused. `build` replaces only a folder that does
//! not exist yet, an empty one, or one holding the marker file [`MARKER`] that every build writes
//! (an output of an older lmp, which wrote no marker, is recognised by its search index). Any other
//! non-empty folder is refused unless `--force` is given. Some folders are refused even with
//! `--force`: the home folder, the site, the theme, the current folder and anything that contains
//! one of them, and anything inside the site folder, a theme folder or the `themes/` folder.
//!
//! While building, an exclusive lock (`flock`) on `.NAME.lmp-lock` next to the output (inside a
//! mount-point output whose parent is read-only, see [`Places::of`]) keeps a second build into the
//! same folder waiting; the new output is written to `.NAME.lmp-staging`
//! next to the output and swapped in with one `renameat2(RENAME_EXCHANGE)` (Linux; `renameatx_np`
//! with `RENAME_SWAP` on macOS), so at every instant the output folder is either the whole old
//! output or the whole new one. Where the exchange is not available (other systems, file systems
//! without it) the fallback is two renames (old output aside, staging in), which leaves no output
//! for the instant between them. A staging folder left by a killed build is removed at the start
//! of the next build, under the lock. Ctrl-C during `lmp build` (see [`on_interrupt`]) stops the
//! writing and leaves the disk as it was before the build: the staging folder goes back to
//! being the spare it was made from, or is removed when the build created it.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

/// The marker file at the root of every output folder lmp writes.
pub(crate) const MARKER: &str = ".lmp-output";

const MARKER_TEXT: &str = "This folder is the output of `lmp build`, which replaces it whole at each build.\n\
Do not keep other files here: they would be deleted.\n";

/// The `.gitignore` of the spare (see [`Staging`]).
const SPARE_GITIGNORE: &str =
    "# The output before the last build, kept by lmp to write over at the next build.\n*\n";

/// A refused output folder: why, and what to do instead. Printed as `error:` and `= help:`; exit 1.
#[derive(Debug)]
pub(crate) struct Refusal {
    pub message: String,
    pub help: String,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Refusal {}

/// What the output folder must keep clear of.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rules {
    /// The site folder.
    pub site_dir: PathBuf,
    /// The theme folders the build read (none for the built-in theme).
    pub theme_dirs: Vec<PathBuf>,
    /// Replace a non-empty folder that lmp did not create (`--force`).
    pub force: bool,
    /// The image cache (`$LMP_CACHE_DIR`, `cache_dir:`), which must not be inside the output.
    pub cache_dir: Option<PathBuf>,
}

fn refuse(message: String, help: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Refusal {
        message,
        help: help.into(),
    })
}

/// The help of a refused place: an output folder of its own, named so that following it works
/// (QA Q106: inside the site folder with `--site .`, the help said `--out public`, the refused
/// folder itself): `public` beside the site folder, as a path from the current folder.
fn never(site: &Path, cwd: &Path, refused: &Path) -> String {
    let beside = site.parent().unwrap_or(site);
    let mut pick = beside.join("public");
    if pick == refused {
        pick = beside.join("public-site");
    }
    let shown = match pick.strip_prefix(cwd) {
        Ok(rel) => rel.display().to_string(),
        Err(_) => match cwd.strip_prefix(beside) {
            // The current folder is below the folder beside the site (e.g. the site itself).
            Ok(down) => {
                let up = "../".repeat(down.components().count());
                format!(
                    "{up}{}",
                    pick.file_name().unwrap_or_default().to_string_lossy()
                )
            }
            Err(_) => pick.display().to_string(),
        },
    };
    format!("pass an output folder of its own, e.g. --out {shown} (--force does not override this)")
}

/// Refuse an image cache (`$LMP_CACHE_DIR`, `cache_dir:`) inside the site folder, a theme
/// folder or the `themes/` folder beside the site: lmp would write its files into the site (only
/// `lmp new` writes there), read them back as content, and `lmp serve` would rebuild for them.
pub(crate) fn check_cache(cache: &Path, site_dir: &Path, theme_dirs: &[PathBuf]) -> Result<()> {
    let cache_abs = super::absolute(cache);
    let site = super::absolute(site_dir);
    let mut trees: Vec<(&str, PathBuf)> = vec![("the site folder", site.clone())];
    for t in theme_dirs {
        trees.push(("the theme folder", super::absolute(t)));
    }
    if let Some(project) = site.parent() {
        trees.push(("the themes folder", project.join("themes")));
    }
    match trees.iter().find(|(_, p)| cache_abs.starts_with(p)) {
        Some((what, p)) => Err(refuse(
            format!(
                "refusing to keep the image cache in {}: it is inside {what} ({}), where lmp would write its files and read them back as the site's",
                cache.display(),
                p.display()
            ),
            "unset $LMP_CACHE_DIR (the cache is then .lmp-cache/ beside the site folder), or point it or `cache_dir:` in config.yaml outside the site and theme folders",
        )),
        None => Ok(()),
    }
}

/// Refuse an output folder that is, contains or is inside a folder the build must never replace.
/// Pure path logic (the paths are made absolute and symlink-resolved first).
pub(crate) fn check_place(out: &Path, rules: &Rules) -> Result<()> {
    let out_abs = super::absolute(out);
    let site = super::absolute(&rules.site_dir);
    let cwd = super::absolute(Path::new("."));
    // Folders the output must not be or contain.
    let mut kept: Vec<(&str, PathBuf)> = vec![
        ("the site folder", site.clone()),
        ("the current folder", cwd.clone()),
    ];
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        kept.push(("your home folder", super::absolute(Path::new(&home))));
    }
    for t in &rules.theme_dirs {
        kept.push(("the theme folder", super::absolute(t)));
    }
    if let Some(project) = site.parent() {
        kept.push(("the project folder", project.to_path_buf()));
    }
    // Folders the output must not be inside (or be).
    let mut trees: Vec<(&str, PathBuf)> = vec![("the site folder", site.clone())];
    for t in &rules.theme_dirs {
        trees.push(("the theme folder", super::absolute(t)));
    }
    if let Some(project) = site.parent() {
        trees.push(("the themes folder", project.join("themes")));
    }
    trees.push(("the themes folder", cwd.join("themes")));

    if let Some((what, p)) = kept.iter().find(|(_, p)| *p == out_abs) {
        return Err(refuse(
            format!(
                "refusing to write the output to {}: it is {what} ({}), which the build would replace",
                out.display(),
                p.display()
            ),
            never(&site, &cwd, &out_abs),
        ));
    }
    if let Some((what, p)) = kept.iter().find(|(_, p)| p.starts_with(&out_abs)) {
        return Err(refuse(
            format!(
                "refusing to write the output to {}: it contains {what} ({}), which the build would replace",
                out.display(),
                p.display()
            ),
            never(&site, &cwd, &out_abs),
        ));
    }
    // One of the places lmp keeps beside another output (`--out .public.lmp-spare`): the build
    // of that output writes over it, removes it or locks it.
    if let Some(name) = out_abs.file_name().and_then(|n| n.to_str())
        && name.starts_with('.')
        && [
            ".lmp-staging",
            ".lmp-spare",
            ".lmp-old",
            ".lmp-lock",
            ".lmp-manifest",
        ]
        .iter()
        .any(|s| name.ends_with(s))
    {
        return Err(refuse(
            format!(
                "refusing to write the output to {}: that name is one lmp gives to its own files beside an output folder (its staging folder, the previous output, its lock or its record of what it wrote), which the build of that folder writes over or removes",
                out.display()
            ),
            never(&site, &cwd, &out_abs),
        ));
    }
    // Inside another output of lmp (QA Q82): that output's next build would replace this one.
    if let Some(outer) = out_abs
        .ancestors()
        .skip(1)
        .find(|a| a.join(MARKER).is_file())
    {
        let name = out_abs
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "site".into());
        return Err(refuse(
            format!(
                "refusing to write the output to {}: it is inside {}, an output of lmp, which the next build into it replaces",
                out.display(),
                outer.display()
            ),
            format!(
                "build into a folder beside it, e.g. --out {}-{name} (and copy it in after the outer build if it must be published there)",
                outer.display()
            ),
        ));
    }
    // The image cache inside the output (QA Q79: `LMP_CACHE_DIR=public/cache`): every build
    // would delete it with the old output and encode every image again, and publish it.
    if let Some(cache) = rules.cache_dir.as_deref().map(super::absolute)
        && cache.starts_with(&out_abs)
    {
        return Err(refuse(
            format!(
                "refusing to write the output to {}: the image cache ({}) is inside it, and every build would delete it with the old output",
                out.display(),
                cache.display()
            ),
            "put the cache outside the output: unset $LMP_CACHE_DIR (the cache is then .lmp-cache/ beside the site folder) or point it or `cache_dir:` in config.yaml elsewhere",
        ));
    }
    // The output inside the image cache: the build would replace the cache's folder with the site
    // (`--out .lmp-cache/images --force` did).
    if let Some(cache) = rules.cache_dir.as_deref().map(super::absolute)
        && out_abs.starts_with(&cache)
    {
        return Err(refuse(
            format!(
                "refusing to write the output to {}: it is inside the image cache ({})",
                out.display(),
                cache.display()
            ),
            never(&site, &cwd, &out_abs),
        ));
    }
    if let Some(cache) = &rules.cache_dir {
        check_cache(cache, &rules.site_dir, &rules.theme_dirs)?;
    }
    for (what, p) in &trees {
        if out_abs.starts_with(p) {
            return Err(refuse(
                format!(
                    "refusing to write the output to {}: it is inside {what} ({})",
                    out.display(),
                    p.display()
                ),
                never(&site, &cwd, &out_abs),
            ));
        }
    }
    Ok(())
}

/// The refusal of an output path that is a file (e.g. one made by `touch public`): the help
/// names another folder than the one refused.
fn not_a_folder(out: &Path) -> anyhow::Error {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned());
    let other = match name.as_deref() {
        Some("public") => "public-site",
        _ => "public",
    };
    // A link that leads nowhere: say so, and where it leads (it said "the file").
    if let Ok(to) = fs::read_link(out)
        && fs::metadata(out).is_err()
    {
        return refuse(
            format!(
                "{} is a link to {}, which does not exist; lmp build writes a folder there",
                out.display(),
                to.display()
            ),
            format!(
                "create the folder {} it leads to, delete the link {} if it is not needed, or pass another output folder, e.g. --out {other}",
                to.display(),
                out.display()
            ),
        );
    }
    refuse(
        format!(
            "{} exists and is not a folder; lmp build writes a folder there",
            out.display()
        ),
        format!(
            "delete or rename the file {} if it is not needed, or pass another output folder, e.g. --out {other}",
            out.display()
        ),
    )
}

/// Whether an existing folder may be replaced: it is empty, or it is an output lmp wrote (the
/// marker, and nothing at its top that the manifest of the last build, `previous`, does not
/// list: a copy of an output carries the marker too), or the output of an older lmp (no marker
/// yet, but lmp's own search index and home page). A version-control checkout is never
/// replaced, even with `--force`.
fn check_owned(out: &Path, previous: &Manifest, force: bool) -> Result<()> {
    let meta = match fs::symlink_metadata(out) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).with_context(|| format!("could not read {}", out.display())),
    };
    if !meta.is_dir() {
        return Err(not_a_folder(out));
    }
    if let Some(vcs) = VCS
        .into_iter()
        .find(|v| fs::symlink_metadata(out.join(v)).is_ok())
    {
        return Err(refuse_repository(out, Path::new(vcs)));
    }
    if out.join(MARKER).is_file() {
        let listed: std::collections::HashSet<&str> = previous
            .keys()
            .map(|k| k.split('/').next().unwrap_or(k))
            .collect();
        let mut foreign: Vec<String> = fs::read_dir(out)
            .with_context(|| format!("could not list {}", out.display()))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| {
                n != MARKER && !INSIDE.contains(&n.as_str()) && !listed.contains(n.as_str())
            })
            .collect();
        if foreign.is_empty() || force {
            if !foreign.is_empty() {
                // A checkout one level down or deeper is never replaced either.
                if let Some(repo) = repository_in(out, foreign.iter().map(|n| out.join(n))) {
                    return Err(refuse_repository(out, &repo));
                }
                log::warn!(
                    "warning: replacing {}, which holds files lmp did not write (--force); {}",
                    out.display(),
                    kept_until_next_build(out)
                );
            }
            return Ok(());
        }
        foreign.sort();
        let shown: Vec<String> = foreign.iter().take(3).cloned().collect();
        let more = if foreign.len() > 3 {
            format!(" and {} more", foreign.len() - 3)
        } else {
            String::new()
        };
        let (why, help) = if previous.is_empty() {
            (
                "it has lmp's marker but no record of what lmp wrote there, so it may be a copy of an output".to_string(),
                "lmp build deletes everything in its output folder. Pass a new or empty folder; if everything in it may be deleted, pass --force once",
            )
        } else {
            (
                format!("lmp did not write {}{more}", shown.join(", ")),
                "lmp build deletes everything in its output folder. Put a file every build should publish (e.g. CNAME) in site/static/; if everything in the folder may be deleted, pass --force once",
            )
        };
        return Err(refuse(
            format!("refusing to replace {}: {why}", out.display()),
            help,
        ));
    }
    let mut entries: Vec<String> = fs::read_dir(out)
        .with_context(|| format!("could not list {}", out.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !INSIDE.contains(&n.as_str()))
        .collect();
    if entries.is_empty() {
        return Ok(());
    }
    // What every output of lmp before the marker held (that version's search index path).
    let old_lmp =
        out.join("search/index/manifest.json").is_file() && out.join("index.html").is_file();
    if old_lmp {
        log::info!(
            "{} is the output of an older lmp (no {MARKER} yet): replacing it",
            out.display()
        );
        return Ok(());
    }
    if force {
        if let Some(repo) = repository_in(out, entries.iter().map(|n| out.join(n))) {
            return Err(refuse_repository(out, &repo));
        }
        log::warn!(
            "warning: replacing {}, which lmp did not create (--force); {}",
            out.display(),
            kept_until_next_build(out)
        );
        return Ok(());
    }
    entries.sort();
    let shown: Vec<String> = entries.iter().take(3).cloned().collect();
    let more = if entries.len() > 3 {
        format!(" and {} more", entries.len() - 3)
    } else {
        String::new()
    };
    Err(refuse(
        format!(
            "refusing to replace {}: it is not empty ({}{more}) and lmp did not create it (it has no {MARKER} file)",
            out.display(),
            shown.join(", ")
        ),
        "lmp build deletes everything in its output folder. Pass a new or empty folder, e.g. \
         --out public; if this is the output of an older lmp, or you are sure everything in it \
         may be deleted, pass --force once (lmp marks the folders it writes from then on)",
    ))
}

/// The folders that make a folder a repository checkout (a `.git` file too: a worktree).
const VCS: [&str; 4] = [".git", ".hg", ".svn", ".jj"];

/// A repository inside one of `roots` (at any depth, symlinks not followed): the path of its
/// `.git` (or `.hg`, …) relative to `out`.
fn repository_in(out: &Path, roots: impl Iterator<Item = PathBuf>) -> Option<PathBuf> {
    for root in roots {
        for e in walkdir::WalkDir::new(&root).follow_links(false) {
            let Ok(e) = e else { continue };
            if VCS.iter().any(|v| e.file_name() == *v) {
                return Some(e.path().strip_prefix(out).unwrap_or(e.path()).to_path_buf());
            }
        }
    }
    None
}

/// The refusal of an output folder that holds a repository (`vcs`: its `.git`, relative to
/// `out`), with a recipe that builds elsewhere and copies.
fn refuse_repository(out: &Path, vcs: &Path) -> anyhow::Error {
    // The build folder of the recipe must not be the checkout itself (often called `public`).
    let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let build = if name == "public" {
        "lmp-public"
    } else {
        "public"
    };
    let exclude = vcs
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(".git")
        .to_string();
    let what = if vcs.parent().is_some_and(|p| !p.as_os_str().is_empty()) {
        format!("a repository ({})", vcs.display())
    } else {
        format!("a repository ({exclude})")
    };
    refuse(
        format!(
            "refusing to replace {}: it holds {what}, which the build would delete",
            out.display()
        ),
        format!(
            "lmp build replaces its output folder whole. Build into a folder of its own and copy the result into the checkout, e.g. `lmp build --out {build} && rsync -a --delete --exclude {exclude} {build}/ {}/` (--force does not override this)",
            out.display()
        ),
    )
}

/// Where the contents a forced build replaces stay, and for how long.
fn kept_until_next_build(out: &Path) -> String {
    let spare = Places::of(out).spare;
    format!(
        "its old contents are kept in {} until the next build into it, which writes over them",
        spare.display()
    )
}

/// An exclusive lock on the output folder, held from before its ownership is checked until the
/// swap is done. The lock file is removed when the lock is released.
pub(crate) struct Lock {
    path: PathBuf,
    /// Open while the lock is held; closing it releases the lock.
    _held: fs::File,
}

impl Lock {
    /// Take the lock on `path`, waiting (with a message) while another build holds it.
    pub(crate) fn acquire(path: &Path, out: &Path) -> Result<Lock> {
        loop {
            let file = fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(path)
                .with_context(|| format!("could not create the lock file {}", path.display()))?;
            #[cfg(unix)]
            {
                use rustix::fs::{FlockOperation, flock};
                if let Err(e) = flock(&file, FlockOperation::NonBlockingLockExclusive) {
                    if e != rustix::io::Errno::WOULDBLOCK {
                        return Err(io::Error::from(e))
                            .with_context(|| format!("could not lock {}", path.display()));
                    }
                    log::warn!(
                        "waiting for another lmp build into {} to finish (lock: {})",
                        out.display(),
                        path.display()
                    );
                    flock(&file, FlockOperation::LockExclusive)
                        .map_err(io::Error::from)
                        .with_context(|| format!("could not lock {}", path.display()))?;
                }
                // The previous holder removes the file when it is done: if the path no longer
                // names the file we locked, lock the new one.
                use std::os::unix::fs::MetadataExt as _;
                let ours = file.metadata().ok();
                let now = fs::metadata(path).ok();
                match (ours, now) {
                    (Some(a), Some(b)) if a.dev() == b.dev() && a.ino() == b.ino() => {}
                    _ => continue,
                }
            }
            return Ok(Lock {
                path: path.to_path_buf(),
                _held: file,
            });
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Remove while still holding the lock; closing the file releases it.
        let _ = fs::remove_file(&self.path);
    }
}

/// The places next to an output folder that a build uses.
pub(crate) struct Places {
    /// The output folder (a symlink given as `--out` is resolved to its target).
    pub out: PathBuf,
    pub staging: PathBuf,
    /// Where the fallback swap moves the old output aside.
    pub old: PathBuf,
    pub lock: PathBuf,
    /// What the last build wrote into the output (see [`Staging`]).
    pub manifest: PathBuf,
    /// The output before the current one, kept to be written over by the next build (see
    /// [`Staging`]).
    pub spare: PathBuf,
    /// The output folder is a mount point (a Docker volume, a tmpfs): it cannot be renamed or
    /// exchanged, so the staging folder is inside it and the swap moves its contents (see
    /// [`swap_contents`]); no spare is kept.
    pub inside: bool,
}

impl Places {
    pub(crate) fn of(out: &Path) -> Places {
        // `public/.`, `./public//`: the folder `public` (QA Q77: a path ending in `.` was
        // renamed as such, which the system refuses).
        let out: PathBuf = out.components().collect();
        let out = match fs::symlink_metadata(&out) {
            Ok(m) if m.file_type().is_symlink() => {
                fs::canonicalize(&out).unwrap_or_else(|_| out.to_path_buf())
            }
            _ => out,
        };
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let inside = is_mount_point(&out);
        let (staging, old) = match inside {
            true => (out.join(INSIDE[0]), out.join(INSIDE[1])),
            false => (
                parent.join(format!(".{name}.lmp-staging")),
                parent.join(format!(".{name}.lmp-old")),
            ),
        };
        // A mount point under a folder lmp cannot write (QA Q96: `docker run --read-only -v
        // …:/site/public`): its lock and manifest go inside it too. Elsewhere they stay beside
        // the output, which publishes them.
        let (lock, manifest) = match inside && !writable(&parent) {
            true => (out.join(INSIDE[2]), out.join(INSIDE[3])),
            false => (
                parent.join(format!(".{name}.lmp-lock")),
                parent.join(format!(".{name}.lmp-manifest")),
            ),
        };
        Places {
            staging,
            old,
            inside,
            lock,
            manifest,
            spare: parent.join(format!(".{name}.lmp-spare")),
            out,
        }
    }
}

/// The names lmp's own files get inside a mount-point output (see [`Places::of`]): staging and
/// old folders, then (when the folder above is read-only) the lock and the manifest. They are
/// never the output's contents: not moved by the swap, not counted as files lmp did not write.
const INSIDE: [&str; 4] = [".lmp-staging", ".lmp-old", ".lmp-lock", ".lmp-manifest"];

/// Whether this process may create files in `dir` (`false` on a read-only file system).
fn writable(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        rustix::fs::access(dir, rustix::fs::Access::WRITE_OK).is_ok()
    }
    #[cfg(not(unix))]
    {
        fs::metadata(dir).is_ok_and(|m| !m.permissions().readonly())
    }
}

/// An output being written: the lock is held and the staging folder exists. Files go to disk as
/// they are produced ([`Staging::put`], from any thread), so a build never holds all of its
/// output in memory; [`Staging::finish`] swaps the staging folder in. Dropped unfinished (a
/// failed build), it removes the staging folder and leaves the output as it was.
///
/// A file with the same bytes as the previous output's keeps that file (and its mtime, so
/// `rsync` skips it) by being hard-linked from it. Which files are the same is known from the
/// manifest the last build left next to the output (path, size, digest, inode and mtime of
/// every file), without reading the previous output: a file changed since by hand no longer
/// matches its inode, size and mtime and is written again.
///
/// The output the swap replaces is not deleted but kept as `.NAME.lmp-spare`, and the next
/// build writes over it instead of into a new folder: its folders are already there, a file
/// already linked to the output's unchanged file is left as it is, and a changed file is
/// rewritten in place. Creating and deleting tens of thousands of files and folders per build
/// is what a build spent most of its system time on (ext4 without a journal even scans past
/// every inode freed in the last minute for each one it creates), and with hard links the
/// spare shares almost all of its disk space with the output. A file is written in place only
/// when no other name links to it (otherwise it is replaced), and before the swap every file
/// the build did not write is removed, with the folders left empty, so the new output holds
/// exactly the build's files, as when the staging folder starts empty.
pub(crate) struct Staging {
    places: Places,
    _lock: Lock,
    /// Folders already created in the staging folder, by their relative path as written
    /// (hashed as text: a `Path` hashes component by component, a third more work for the
    /// deeper folders of a language's pages, `es/stories/x`).
    dirs: std::sync::Mutex<std::collections::HashSet<String>>,
    previous: Manifest,
    written: std::sync::Mutex<Manifest>,
    /// Whether the staging folder is the spare of an earlier build (files may be there).
    reused: bool,
    done: bool,
}

/// Output-relative path → what was written there.
type Manifest = std::collections::HashMap<String, Entry>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    digest: u128,
    size: u64,
    ino: u64,
    mtime_ns: i128,
}

/// The staging folder being written, for Ctrl-C (see [`on_interrupt`]): set when
/// [`Staging::begin`] made it, cleared when it is swapped in or removed. Held while the swap
/// runs, so Ctrl-C waits for a swap under way instead of cutting it in half.
static LIVE: std::sync::Mutex<Option<Live>> = std::sync::Mutex::new(None);

/// Held (shared) while a file is written into the staging folder; Ctrl-C takes it alone, so no
/// file is being written (and no folder made again) while the staging folder is put away.
static WRITES: std::sync::RwLock<()> = std::sync::RwLock::new(());

/// Set at the first Ctrl-C: a second one stops at once.
static STOPPING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

struct Live {
    out: PathBuf,
    staging: PathBuf,
    /// Where the staging folder came from when it was the spare (it goes back there).
    spare: Option<PathBuf>,
    lock: PathBuf,
}

fn live() -> std::sync::MutexGuard<'static, Option<Live>> {
    LIVE.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Ctrl-C during `lmp build` (installed by the command; QA s12: the staging folder, a whole
/// output's size, stayed on disk until the next build). The writing stops, and the staging
/// folder is put back as the spare it was made from (one rename), or removed when this build
/// created it; only that folder, which lmp made, is touched. The output and the lock are as
/// before the build (the lock goes with the process). Exits with 130, the shell's code for
/// Ctrl-C; a second Ctrl-C stops at once (the removal of a large unfinished output takes time).
pub(crate) fn on_interrupt() {
    use std::sync::atomic::Ordering;
    if STOPPING.swap(true, Ordering::SeqCst) {
        std::process::exit(130);
    }
    // On a thread of its own, so that a second Ctrl-C reaches this handler again.
    std::thread::spawn(|| {
        let live = live();
        let _no_writes = WRITES
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(l) = live.as_ref() {
            let put_back = l
                .spare
                .as_ref()
                .is_some_and(|spare| fs::rename(&l.staging, spare).is_ok());
            if put_back {
                if let Some(spare) = &l.spare {
                    let _ = fs::write(spare.join(".gitignore"), SPARE_GITIGNORE);
                }
            } else {
                eprintln!(
                    "Interrupted: removing the unfinished output {} (Ctrl-C again to stop at once)",
                    l.staging.display()
                );
                let _ = super::remove_dir_if_exists(&l.staging);
            }
            eprintln!(
                "Interrupted: nothing was written to {}; it is as it was before this build.",
                l.out.display()
            );
            // Held by this build (the staging folder exists only under it): removed as the
            // lock's own drop does, before the exit releases it.
            let _ = fs::remove_file(&l.lock);
        }
        std::process::exit(130);
    });
}

impl Staging {
    /// Check the place, take the lock, remove stale staging folders, check that the folder is
    /// lmp's and create the staging folder.
    pub(crate) fn begin(out: &Path, rules: &Rules) -> Result<Staging> {
        check_place(out, rules)?;
        let places = Places::of(out);
        if places.out != out {
            check_place(&places.out, rules)?;
        }
        if let Ok(m) = fs::metadata(&places.out)
            && !m.is_dir()
        {
            return Err(not_a_folder(out));
        }
        if let Some(parent) = places.staging.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("could not create {}", parent.display()))?;
        }
        let lock = Lock::acquire(&places.lock, out)?;
        for (place, role) in [
            (&places.staging, "the folder a build writes into"),
            (
                &places.old,
                "the previous output while the new one is swapped in",
            ),
            (
                &places.spare,
                "the previous output, for the next build to write over",
            ),
        ] {
            if !lmps_own(place) {
                return Err(in_the_way(out, place, role));
            }
        }
        super::remove_dir_if_exists(&places.staging)?;
        super::remove_dir_if_exists(&places.old)?;
        let previous = read_manifest(&places.manifest);
        // A mount point's contents cannot be kept aside (no spare, see `Places::inside`): there
        // `--force` would delete what lmp did not write (QA Q95).
        check_owned(&places.out, &previous, rules.force && !places.inside).map_err(|e| {
            match (places.inside && rules.force, e.downcast::<Refusal>()) {
                (true, Ok(r)) => refuse(
                    format!("{} (--force cannot replace it: it is a mount point, where lmp keeps no copy of what it replaces)", r.message),
                    format!(
                        "empty {} yourself first, or build into a folder inside it, e.g. --out {}",
                        out.display(),
                        places.out.join("site").display()
                    ),
                ),
                (_, Ok(r)) => anyhow::Error::new(r),
                (_, Err(e)) => e,
            }
        })?;
        // The spare becomes the staging folder (a killed build leaves it as a staging folder,
        // removed above by the next one).
        let reused = fs::symlink_metadata(&places.spare).is_ok_and(|m| m.is_dir())
            && fs::rename(&places.spare, &places.staging).is_ok();
        if !reused {
            super::remove_dir_if_exists(&places.spare)?;
            fs::create_dir(&places.staging)
                .with_context(|| format!("could not create {}", places.staging.display()))?;
            // At once, so that a staging folder left by a killed build is known to be lmp's.
            let marker = places.staging.join(MARKER);
            fs::write(&marker, MARKER_TEXT)
                .with_context(|| format!("could not write {}", marker.display()))?;
        }
        *live() = Some(Live {
            out: places.out.clone(),
            staging: places.staging.clone(),
            spare: reused.then(|| places.spare.clone()),
            lock: places.lock.clone(),
        });
        Ok(Staging {
            places,
            _lock: lock,
            dirs: Default::default(),
            previous,
            written: Default::default(),
            reused,
            done: false,
        })
    }

    /// The staging folder (on the output's disk: where the build's scratch file goes).
    pub(crate) fn staging_dir(&self) -> &Path {
        &self.places.staging
    }

    /// Write one output file (`rel`, with `/` separators) into the staging folder.
    pub(crate) fn put(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let _writing = writing();
        let dest = self.places.staging.join(rel);
        self.make_parent(rel)?;
        let digest = xxhash_rust::xxh3::xxh3_128(bytes);
        let size = bytes.len() as u64;
        if self.link_previous(rel, &dest, digest, size, None)? {
            return Ok(());
        }
        use std::io::Write as _;
        let mut f = self
            .create(rel, &dest)
            .with_context(|| format!("could not write {}", dest.display()))?;
        f.write_all(bytes)
            .with_context(|| format!("could not write {}", dest.display()))?;
        self.record_written(rel, f.metadata().ok(), digest, size);
        Ok(())
    }

    /// Record a file just written as `rel`, from its metadata when there is some. Recorded even
    /// when its inode is unknown: the files recorded are the output (see `prune`); an entry that
    /// matches no file on disk only makes the next build write it.
    fn record_written(&self, rel: &str, meta: Option<fs::Metadata>, digest: u128, size: u64) {
        let e = meta.and_then(|m| entry_of(&m, digest));
        self.record(
            rel,
            e.unwrap_or(Entry {
                digest,
                size,
                ino: 0,
                mtime_ns: 0,
            }),
        );
    }

    /// Copy the file `src.path` (an image-cache file, a site's static file) into the staging
    /// folder as `rel`; `src.digest` and `src.size` are its content's (xxh3-128), known without
    /// reading it (see `crate::media`'s record). Like [`Self::put`], the previous output's file is linked when it
    /// holds these bytes; the bytes never pass through memory (`copy_file_range`, a reflink
    /// where the file system has them).
    ///
    /// `src` itself is never hard-linked (QA s5 Q81): an output file edited in place (an
    /// optimiser, `exiftool`, an editor saving over it) must change neither the image cache nor
    /// another output folder built from the same cache. The only links are between this output
    /// and its own spare, and a previous output's file that is a link of `src` (lmp 0.x before
    /// this wrote those) is not reused.
    pub(crate) fn put_file(&self, rel: &str, src: &super::OnDisk) -> Result<()> {
        let _writing = writing();
        let (digest, size) = (src.digest, src.size);
        let src = src.path.as_path();
        let dest = self.places.staging.join(rel);
        self.make_parent(rel)?;
        let src_meta = fs::metadata(src).ok();
        if self.link_previous(rel, &dest, digest, size, src_meta.as_ref())? {
            return Ok(());
        }
        if self.reused
            && let Ok(m) = fs::symlink_metadata(&dest)
        {
            self.clear(rel, &dest, &m)?;
        }
        super::copy_file(src, &dest)?;
        self.record_written(rel, fs::metadata(&dest).ok(), digest, size);
        Ok(())
    }

    /// Create the folders of `rel` in the staging folder.
    fn make_parent(&self, rel: &str) -> Result<()> {
        if let Some(parent) = Path::new(rel).parent()
            && !parent.as_os_str().is_empty()
        {
            // `rel`'s own text up to the folder (`Path::parent` of a `str` is a `str`).
            let key = parent.to_str();
            let known = key.is_some_and(|k| self.dirs.lock().is_ok_and(|d| d.contains(k)));
            if !known {
                let dir = self.places.staging.join(parent);
                if let Err(e) = fs::create_dir_all(&dir) {
                    // A file of the spare where this build needs a folder.
                    if !self.reused || !self.clear_ancestors(rel) {
                        return Err(e)
                            .with_context(|| format!("could not create {}", dir.display()));
                    }
                    fs::create_dir_all(&dir)
                        .with_context(|| format!("could not create {}", dir.display()))?;
                }
                if let (Some(k), Ok(mut d)) = (key, self.dirs.lock()) {
                    d.insert(k.to_string());
                }
            }
        }
        Ok(())
    }

    /// Link the previous output's file at `rel` when it is the one the last build wrote with
    /// these bytes (`digest`, `size`) and not the file `not` (the source a copy is made of);
    /// true when done.
    fn link_previous(
        &self,
        rel: &str,
        dest: &Path,
        digest: u128,
        size: u64,
        not: Option<&fs::Metadata>,
    ) -> Result<bool> {
        // The previous output's file, when it is the one the last build wrote with these bytes.
        if let Some(prev) = self.previous.get(rel)
            && prev.digest == digest
            && prev.size == size
        {
            let old = self.places.out.join(rel);
            if let Ok(meta) = fs::symlink_metadata(&old)
                && meta.is_file()
                && entry_of(&meta, digest) == Some(*prev)
                && !not.is_some_and(|s| same_file(&meta, s))
            {
                if self.reused {
                    match fs::symlink_metadata(dest) {
                        // Already a link to it (the spare's file was linked from the build
                        // before): nothing to write.
                        Ok(m) if same_file(&m, &meta) => {
                            self.record(rel, *prev);
                            return Ok(true);
                        }
                        Ok(m) => self.clear(rel, dest, &m)?,
                        Err(_) => {}
                    }
                }
                if fs::hard_link(&old, dest).is_ok() {
                    self.record(rel, *prev);
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    /// Open `dest` to write it whole: in a spare, the file already there is truncated and
    /// written over when nothing else links to it (no new inode), else replaced.
    fn create(&self, rel: &str, dest: &Path) -> io::Result<fs::File> {
        if self.reused
            && let Ok(m) = fs::symlink_metadata(dest)
        {
            if m.is_file() && nlink(&m) == 1 {
                return fs::OpenOptions::new().write(true).truncate(true).open(dest);
            }
            self.clear(rel, dest, &m).map_err(io::Error::other)?;
        }
        fs::File::create(dest)
    }

    /// Remove what the spare has at `dest` (`rel`): a file linked elsewhere, or a folder where
    /// this build writes a file, unless this build wrote into that folder (then the build's
    /// own files collide, and the write fails as it would in an empty staging folder).
    fn clear(&self, rel: &str, dest: &Path, m: &fs::Metadata) -> Result<()> {
        if m.is_dir() {
            let inside = format!("{rel}/");
            let ours = self
                .written
                .lock()
                .map(|w| w.keys().any(|k| k.starts_with(&inside)))
                .unwrap_or(true);
            if ours {
                return Ok(());
            }
            return super::remove_dir_if_exists(dest);
        }
        fs::remove_file(dest).with_context(|| format!("could not remove {}", dest.display()))
    }

    /// Remove the spare's files where `rel` needs folders; false when one of them is a file
    /// this build wrote (a collision of the build's own files).
    fn clear_ancestors(&self, rel: &str) -> bool {
        let mut at = 0;
        while let Some(i) = rel[at..].find('/') {
            let prefix = &rel[..at + i];
            at += i + 1;
            let path = self.places.staging.join(prefix);
            match fs::symlink_metadata(&path) {
                Ok(m) if !m.is_dir() => {
                    let ours = self
                        .written
                        .lock()
                        .map(|w| w.contains_key(prefix))
                        .unwrap_or(true);
                    if ours || fs::remove_file(&path).is_err() {
                        return false;
                    }
                }
                Ok(_) => {}
                Err(_) => return true,
            }
        }
        true
    }

    fn record(&self, rel: &str, e: Entry) {
        if let Ok(mut w) = self.written.lock() {
            w.insert(rel.to_string(), e);
        }
    }

    /// Write the marker, swap the staging folder in, remove the old output and keep the
    /// manifest for the next build. Returns the number of files written.
    pub(crate) fn finish(mut self) -> Result<usize> {
        // Ctrl-C from now on waits until the new output is in place (or the old one kept).
        let mut live = live();
        let written = std::mem::take(&mut *self.written.lock().map_err(|_| {
            anyhow::anyhow!("a thread writing {} panicked", self.places.out.display())
        })?);
        if self.reused {
            // What the spare held that this build did not write (keys spelled as `prune`
            // spells the paths it finds).
            let keep: Manifest = written.iter().map(|(rel, e)| (normal(rel), *e)).collect();
            prune(&self.places.staging, "", &keep)?;
        }
        let marker = self.places.staging.join(MARKER);
        fs::write(&marker, MARKER_TEXT)
            .with_context(|| format!("could not write {}", marker.display()))?;
        // The manifest describes the new output: remove the old one first, so that an
        // interrupted swap leaves none (and the next build writes every file).
        // A swap that fails leaves the output as it was, and so its manifest (QA Q77).
        let _ = fs::remove_file(&self.places.manifest);
        if let Err(e) = swap(&self.places) {
            write_manifest(&self.places.manifest, &self.previous);
            return Err(e);
        }
        self.done = true;
        let n = written.len();
        write_manifest(&self.places.manifest, &written);
        // The old output (after the swap, where the staging folder was, or moved aside by the
        // fallback) becomes the spare the next build writes over; inside a mount point it is
        // removed (a spare there would be published with the output).
        let p = &self.places;
        for old in [&p.staging, &p.old] {
            if fs::symlink_metadata(old).is_ok() && (p.inside || fs::rename(old, &p.spare).is_err())
            {
                super::remove_dir_if_exists(old)?;
            }
        }
        // The spare is a whole copy of the last site: git ignores it (QA Q47: `git add -A`
        // staged it). The next build prunes this file with the rest of what it did not write.
        if fs::symlink_metadata(&p.spare).is_ok_and(|m| m.is_dir()) {
            let _ = fs::write(p.spare.join(".gitignore"), SPARE_GITIGNORE);
        }
        *live = None;
        Ok(n)
    }
}

/// Whether what is at `p`, one of the places lmp keeps beside (or inside) an output folder (the
/// staging folder, the old output, the spare), is lmp's to delete or write over: nothing, an
/// empty folder, or a folder lmp made (it has the marker, which lmp writes into a staging folder
/// as soon as it makes one, or the spare's `.gitignore`). A file, a link or a folder of someone
/// else's that merely has one of these names is never deleted (see [`in_the_way`]).
fn lmps_own(p: &Path) -> bool {
    match fs::symlink_metadata(p) {
        Err(e) => e.kind() == io::ErrorKind::NotFound,
        Ok(m) if m.is_dir() => {
            fs::symlink_metadata(p.join(MARKER)).is_ok_and(|m| m.is_file())
                || fs::read(p.join(".gitignore")).is_ok_and(|b| b == SPARE_GITIGNORE.as_bytes())
                || fs::read_dir(p).is_ok_and(|mut d| d.next().is_none())
        }
        Ok(_) => false,
    }
}

/// The refusal of a build whose output would replace `place`, which lmp did not make.
fn in_the_way(out: &Path, place: &Path, role: &str) -> anyhow::Error {
    let kind = match fs::symlink_metadata(place) {
        Ok(m) if m.is_symlink() => "link",
        Ok(m) if m.is_dir() => "folder",
        _ => "file",
    };
    refuse(
        format!(
            "refusing to build into {}: {} is in the way, and lmp did not make this {kind} \
             (that name is where lmp keeps {role}, and a build deletes what is there)",
            out.display(),
            place.display()
        ),
        format!(
            "move or rename {} (nothing in it was touched), then build again; --force does not \
             override this",
            place.display()
        ),
    )
}

/// A file is being written into the staging folder (see [`WRITES`]).
fn writing() -> std::sync::RwLockReadGuard<'static, ()> {
    WRITES
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Drop for Staging {
    fn drop(&mut self) {
        let mut live = live();
        *live = None;
        if !self.done {
            let _ = fs::remove_dir_all(&self.places.staging);
        }
    }
}

#[cfg(unix)]
fn entry_of(meta: &fs::Metadata, digest: u128) -> Option<Entry> {
    use std::os::unix::fs::MetadataExt as _;
    Some(Entry {
        digest,
        size: meta.len(),
        ino: meta.ino(),
        mtime_ns: meta.mtime() as i128 * 1_000_000_000 + meta.mtime_nsec() as i128,
    })
}

#[cfg(not(unix))]
fn entry_of(_: &fs::Metadata, _: u128) -> Option<Entry> {
    None
}

/// The manifest of the last output, or an empty one (missing or unreadable: every file is
/// written again). One line per file: digest, size, inode, mtime, path.
fn read_manifest(path: &Path) -> Manifest {
    let Ok(text) = fs::read_to_string(path) else {
        return Manifest::new();
    };
    let mut m = Manifest::new();
    for line in text.lines() {
        let mut parts = line.splitn(5, ' ');
        let (Some(d), Some(s), Some(i), Some(t), Some(rel)) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            continue;
        };
        if let (Ok(digest), Ok(size), Ok(ino), Ok(mtime_ns)) =
            (u128::from_str_radix(d, 16), s.parse(), i.parse(), t.parse())
        {
            m.insert(
                rel.to_string(),
                Entry {
                    digest,
                    size,
                    ino,
                    mtime_ns,
                },
            );
        }
    }
    m
}

/// Keep the manifest of the output just swapped in (best effort: without it, the next build
/// writes every file again).
fn write_manifest(path: &Path, m: &Manifest) {
    let mut rows: Vec<(&String, &Entry)> = m.iter().collect();
    rows.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut text = Vec::with_capacity(rows.len() * 96);
    for (rel, e) in rows {
        if rel.contains('\n') {
            continue;
        }
        manifest_line(&mut text, rel, e);
    }
    let tmp = path.with_extension("tmp");
    if fs::write(&tmp, text).is_ok() {
        let _ = fs::rename(&tmp, path);
    }
}

/// One line of the manifest, `digest size inode mtime path` (the digest in 32 hexadecimal
/// digits), as `writeln!("{:032x} {} {} {} {rel}")` writes it, without the formatting machinery:
/// that was ~1,500 instructions a line, 28 million for the 18,000 files of 10,000 documents,
/// on the build's one thread after every page is written.
fn manifest_line(out: &mut Vec<u8>, rel: &str, e: &Entry) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.extend(
        (0..32)
            .rev()
            .map(|k| HEX[((e.digest >> (4 * k)) & 0xf) as usize]),
    );
    for n in [i128::from(e.size), i128::from(e.ino), e.mtime_ns] {
        out.push(b' ');
        decimal(out, n);
    }
    out.push(b' ');
    out.extend_from_slice(rel.as_bytes());
    out.push(b'\n');
}

/// `n` in decimal, as `{}` writes it.
fn decimal(out: &mut Vec<u8>, n: i128) {
    if n < 0 {
        out.push(b'-');
    }
    let mut n = n.unsigned_abs();
    let mut digits = [0u8; 39];
    let mut at = digits.len();
    // Sizes, inodes and times fit in 64 bits: their digits without 128-bit divisions.
    if let Ok(mut small) = u64::try_from(n) {
        loop {
            at -= 1;
            digits[at] = b'0' + (small % 10) as u8;
            small /= 10;
            if small == 0 {
                break;
            }
        }
    } else {
        loop {
            at -= 1;
            digits[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// Remove from the staging folder `dir` (at `rel`, "" for its root) every file that is not in
/// `keep` and every folder left empty (the marker is written after). Returns whether anything
/// is left in `dir`.
fn prune(dir: &Path, rel: &str, keep: &Manifest) -> Result<bool> {
    let entries = fs::read_dir(dir).with_context(|| format!("could not list {}", dir.display()))?;
    let mut kept = false;
    for e in entries {
        let e = e.with_context(|| format!("could not list {}", dir.display()))?;
        let path = e.path();
        let Some(name) = e.file_name().to_str().map(str::to_owned) else {
            super::remove_dir_if_exists(&path)?;
            continue;
        };
        // The marker stays, so that the folder is always known to be lmp's (see `lmps_own`).
        if rel.is_empty() && name == MARKER {
            kept = true;
            continue;
        }
        let r = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        let is_dir = e
            .file_type()
            .with_context(|| format!("could not read {}", path.display()))?
            .is_dir();
        if is_dir {
            if prune(&path, &r, keep)? {
                kept = true;
            } else {
                fs::remove_dir(&path)
                    .with_context(|| format!("could not remove {}", path.display()))?;
            }
        } else if keep.contains_key(&r) {
            kept = true;
        } else {
            fs::remove_file(&path)
                .with_context(|| format!("could not remove {}", path.display()))?;
        }
    }
    Ok(kept)
}

/// `rel` as `prune` spells the path it names: its plain components joined with `/`.
fn normal(rel: &str) -> String {
    let parts: Vec<&str> = Path::new(rel)
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(n) => n.to_str(),
            _ => None,
        })
        .collect();
    parts.join("/")
}

#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    false
}

/// How many names the file has (1 when unknown, so it is never written in place elsewhere:
/// on other systems no spare is kept, see [`entry_of`]).
#[cfg(unix)]
fn nlink(m: &fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt as _;
    m.nlink()
}

#[cfg(not(unix))]
fn nlink(_: &fs::Metadata) -> u64 {
    2
}

/// Put the staging folder in place of the output: one atomic exchange where the system has it.
fn swap(p: &Places) -> Result<()> {
    if p.inside {
        log::info!(
            "{} is a mount point: its contents are replaced one by one",
            p.out.display()
        );
        return swap_contents(p);
    }
    if fs::symlink_metadata(&p.out).is_err() {
        return fs::rename(&p.staging, &p.out)
            .with_context(|| format!("could not move the new output into {}", p.out.display()));
    }
    match exchange(&p.staging, &p.out) {
        Ok(()) => return Ok(()),
        Err(e) if !exchange_unsupported(&e) => {
            #[cfg(unix)]
            if e.raw_os_error() == Some(libc::EBUSY) {
                return Err(refuse(
                    format!(
                        "could not swap the new output into {}: it is in use as a mount point",
                        p.out.display()
                    ),
                    "build into a folder inside it (e.g. --out public/site) or mount its parent folder",
                ));
            }
            return Err(e).with_context(|| {
                format!("could not swap the new output into {}", p.out.display())
            });
        }
        Err(_) => {}
    }
    swap_in_two_renames(p)
}

/// The documented fallback: old output aside, staging in, old output removed by the caller.
pub(crate) fn swap_in_two_renames(p: &Places) -> Result<()> {
    fs::rename(&p.out, &p.old)
        .with_context(|| format!("could not move {} aside", p.out.display()))?;
    if let Err(e) = fs::rename(&p.staging, &p.out) {
        // Put the previous output back.
        let _ = fs::rename(&p.old, &p.out);
        return Err(e)
            .with_context(|| format!("could not move the new output into {}", p.out.display()));
    }
    Ok(())
}

/// The swap inside a mount point (see [`Places::inside`]): the output's entries moved into the
/// old folder, then the staging folder's into the output. Not atomic (a reader may see a
/// half-replaced output for the time of the renames); on a failure, what moved is moved back.
fn swap_contents(p: &Places) -> Result<()> {
    let ours = |n: &std::ffi::OsStr| {
        [&p.staging, &p.old, &p.lock, &p.manifest]
            .iter()
            .any(|d| d.parent() == Some(p.out.as_path()) && d.file_name() == Some(n))
    };
    let list = |dir: &Path| -> Result<Vec<std::ffi::OsString>> {
        let mut v: Vec<std::ffi::OsString> = fs::read_dir(dir)
            .with_context(|| format!("could not list {}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.file_name()))
            .filter(|n| !(dir == p.out.as_path() && ours(n)))
            .collect();
        v.sort();
        Ok(v)
    };
    // Move `names` from `a` to `b`; on a failure, move back what moved and fail.
    let move_all = |names: &[std::ffi::OsString], a: &Path, b: &Path| -> Result<()> {
        for (i, n) in names.iter().enumerate() {
            if let Err(e) = fs::rename(a.join(n), b.join(n)) {
                for m in names.iter().take(i) {
                    let _ = fs::rename(b.join(m), a.join(m));
                }
                return Err(e).with_context(|| {
                    format!(
                        "could not move {} into {}",
                        a.join(n).display(),
                        b.display()
                    )
                });
            }
        }
        Ok(())
    };
    super::remove_dir_if_exists(&p.old)?;
    fs::create_dir(&p.old).with_context(|| format!("could not create {}", p.old.display()))?;
    let old = list(&p.out)?;
    move_all(&old, &p.out, &p.old)?;
    let new = list(&p.staging)?;
    if let Err(e) = move_all(&new, &p.staging, &p.out) {
        let _ = move_all(&old, &p.old, &p.out);
        return Err(e);
    }
    Ok(())
}

/// Whether `p` is the root of a mount (`statx`'s `STATX_ATTR_MOUNT_ROOT` on Linux; elsewhere,
/// or on a kernel without it, a folder on another device than its parent).
fn is_mount_point(p: &Path) -> bool {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::fs::{AtFlags, CWD, StatxAttributes, StatxFlags, statx};
        let flags = AtFlags::NO_AUTOMOUNT | AtFlags::SYMLINK_NOFOLLOW;
        if let Ok(r) = statx(CWD, p, flags, StatxFlags::empty())
            && r.stx_attributes_mask.contains(StatxAttributes::MOUNT_ROOT)
        {
            return r.stx_attributes.contains(StatxAttributes::MOUNT_ROOT);
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let parent = match p.parent().filter(|q| !q.as_os_str().is_empty()) {
            Some(q) => q.to_path_buf(),
            None => PathBuf::from("."),
        };
        if let (Ok(a), Ok(b)) = (fs::symlink_metadata(p), fs::metadata(parent)) {
            return a.is_dir() && a.dev() != b.dev();
        }
    }
    false
}

#[cfg(any(target_os = "linux", target_os = "android", target_os = "macos"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "macos")))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// The exchange is not available here (old kernel, a file system without it, another system).
fn exchange_unsupported(e: &io::Error) -> bool {
    #[cfg(unix)]
    if let Some(code) = e.raw_os_error() {
        return [libc::EINVAL, libc::ENOSYS, libc::EOPNOTSUPP, libc::ENOTSUP].contains(&code);
    }
    e.kind() == io::ErrorKind::Unsupported
}

#[cfg(test)]
mod manifest_tests {
    use super::{Entry, manifest_line};

    #[test]
    fn a_manifest_line_is_what_the_formatter_writes() {
        let edges = [0, 1, 9, 10, 99, 1 << 40, i64::MAX as i128, u64::MAX as i128];
        let times = [
            0,
            -1,
            -1_234_567_890_123_456_789,
            1_764_500_000_123_456_789,
            i128::from(u64::MAX) + 1,
            i128::MAX,
            i128::MIN,
        ];
        let digests = [
            0u128,
            1,
            0xabc,
            u128::MAX,
            0x0123_4567_89ab_cdef_fedc_ba98_7654_3210,
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut cases: Vec<Entry> = Vec::new();
        for &d in &digests {
            for &n in &edges {
                for &t in &times {
                    cases.push(Entry {
                        digest: d,
                        size: n as u64,
                        ino: (n as u64).rotate_left(7),
                        mtime_ns: t,
                    });
                }
            }
        }
        for _ in 0..2_000 {
            cases.push(Entry {
                digest: (u128::from(next()) << 64) | u128::from(next()),
                size: next() >> (next() % 64),
                ino: next() >> (next() % 64),
                mtime_ns: i128::from(next() as i64) * i128::from(1 + next() % 3),
            });
        }
        for e in cases {
            let rel = "es/stories/café/index.html";
            let mut ours = Vec::new();
            manifest_line(&mut ours, rel, &e);
            let theirs = format!(
                "{:032x} {} {} {} {rel}\n",
                e.digest, e.size, e.ino, e.mtime_ns
            );
            assert_eq!(String::from_utf8(ours).unwrap(), theirs, "{e:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::remove_dir_if_exists;
    use super::*;

    #[test]
    fn refuses_dangerous_places() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        fs::create_dir_all(site.join("stories")).unwrap();
        let rules = Rules {
            site_dir: site.clone(),
            ..Rules::default()
        };
        for bad in [
            tmp.path().to_path_buf(),
            site.clone(),
            site.join("public"),
            tmp.path().join("themes"),
            tmp.path().join("themes/lmp"),
            PathBuf::from("/"),
        ] {
            let e = check_place(&bad, &rules).unwrap_err();
            assert!(e.downcast_ref::<Refusal>().is_some(), "{bad:?}: {e:#}");
        }
        assert!(check_place(&tmp.path().join("public"), &rules).is_ok());
    }

    #[test]
    fn the_swap_exchanges_in_one_step() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("old.txt"), "old").unwrap();
        let p = Places::of(&out);
        fs::create_dir(&p.staging).unwrap();
        fs::write(p.staging.join("new.txt"), "new").unwrap();
        swap(&p).unwrap();
        assert!(out.join("new.txt").is_file());
        if cfg!(target_os = "linux") {
            // Exchanged, not moved aside: the old output is where the staging folder was.
            assert!(p.staging.join("old.txt").is_file());
            assert!(!p.old.exists());
        }
    }

    #[test]
    fn the_output_never_disappears_during_swaps() {
        // A reader polls the output while it is swapped again and again: with the exchange the
        // folder is always there (with two renames there is an instant without it).
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("index.html"), "0").unwrap();
        let p = Places::of(&out);
        let stop = Arc::new(AtomicBool::new(false));
        let missing = Arc::new(AtomicUsize::new(0));
        let reader = {
            let (stop, missing, index) = (stop.clone(), missing.clone(), out.join("index.html"));
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    if !index.exists() {
                        missing.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        };
        for i in 0..3000 {
            fs::create_dir(&p.staging).unwrap();
            fs::write(p.staging.join("index.html"), i.to_string()).unwrap();
            swap(&p).unwrap();
            remove_dir_if_exists(&p.staging).unwrap();
            remove_dir_if_exists(&p.old).unwrap();
        }
        stop.store(true, Ordering::Relaxed);
        reader.join().unwrap();
        if cfg!(target_os = "linux") {
            assert_eq!(missing.load(Ordering::Relaxed), 0, "the output was missing");
        }
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "2999");
    }

    /// A build into `out` through `Staging` with one file; the manifest's text after it.
    fn build_once(out: &Path, rules: &Rules, text: &str) -> Result<()> {
        let st = Staging::begin(out, rules)?;
        st.put("index.html", text.as_bytes())?;
        st.finish().map(|_| ())
    }

    #[test]
    fn a_path_ending_in_a_dot_is_the_folder_and_a_failed_swap_keeps_the_manifest() {
        // QA Q77: `--out public/.` failed to swap and deleted the manifest, so that every later
        // build refused the folder.
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        fs::create_dir(&site).unwrap();
        let rules = Rules {
            site_dir: site,
            ..Rules::default()
        };
        let out = tmp.path().join("public");
        let p = Places::of(&out);
        build_once(&out, &rules, "1").unwrap();
        for spelled in [out.join("."), tmp.path().join("public//"), out.join("./.")] {
            assert_eq!(Places::of(&spelled).out, out, "{spelled:?}");
            build_once(&spelled, &rules, "2").unwrap();
            assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "2");
            assert!(p.manifest.is_file(), "{spelled:?}");
            assert!(!tmp.path().join("public/.lmp-staging").exists());
        }
        // A swap that fails (here: the staging folder vanished) leaves the manifest.
        let before = fs::read_to_string(&p.manifest).unwrap();
        let st = Staging::begin(&out, &rules).unwrap();
        st.put("index.html", b"3").unwrap();
        remove_dir_if_exists(&p.staging).unwrap();
        assert!(st.finish().is_err());
        assert_eq!(fs::read_to_string(&p.manifest).unwrap(), before);
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "2");
        // And the next build is not refused.
        build_once(&out, &rules, "4").unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "4");
    }

    #[test]
    fn a_mount_point_has_its_contents_replaced() {
        // QA Q76: a mount point (Docker volume, tmpfs) can be neither renamed nor exchanged.
        if cfg!(target_os = "linux") && Path::new("/proc/self").exists() {
            assert!(is_mount_point(Path::new("/proc")));
        }
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        fs::create_dir_all(out.join("stories/a")).unwrap();
        fs::write(out.join("stories/a/index.html"), "old").unwrap();
        fs::write(out.join("gone.html"), "old").unwrap();
        assert!(!is_mount_point(&out));
        // The places a mount point gets (what `Places::of` gives when `is_mount_point`).
        let mut p = Places::of(&out);
        p.inside = true;
        p.staging = out.join(".lmp-staging");
        p.old = out.join(".lmp-old");
        fs::create_dir_all(p.staging.join("stories/a")).unwrap();
        fs::write(p.staging.join("stories/a/index.html"), "new").unwrap();
        fs::write(p.staging.join("index.html"), "new").unwrap();
        swap(&p).unwrap();
        let mut names: Vec<String> = fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, [".lmp-old", ".lmp-staging", "index.html", "stories"]);
        assert_eq!(
            fs::read_to_string(out.join("stories/a/index.html")).unwrap(),
            "new"
        );
        assert_eq!(fs::read_dir(&p.staging).unwrap().count(), 0);
        assert_eq!(fs::read_to_string(p.old.join("gone.html")).unwrap(), "old");
    }
}
