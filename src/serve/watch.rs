//! Watching the inputs (the only module naming `notify`): the site folder, the theme folders and
//! the repository's `themes/` beside the site, recursively. Events for dotfiles, editor temp files
//! (`.swp`, `~`, vim's `4913`, emacs' `.#x` and `#x#`, JetBrains' `___jb_tmp___`) and the output
//! folder are dropped; reads are dropped. What is left is sent as a batch of paths; the builder
//! debounces and coalesces the batches (see [`collect`]).
//!
//! A watched folder can be deleted and put back (`rm -rf site; cp -r backup site`): the recursive
//! watch dies with the old folder, so the parent of each watched folder is watched too (not
//! recursively, and only for the watched folder itself); when a batch names a watched folder,
//! [`Watch::rewatch`] watches it again before the rebuild reads it. A watched folder named
//! through a symbolic link (`site -> releases/a`) is watched where the link leads, and the
//! link's own folder is watched too: when the link is pointed elsewhere (`ln -sfn releases/b
//! site`), the new folder is watched instead of the old one and the site is rebuilt (it went on
//! serving the old folder and ignored every edit of the new one).

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher as _};

/// The filter applied to every event path.
#[derive(Debug, Clone, Default)]
pub(crate) struct Filter {
    /// Watched roots: only the part of a path below its root is checked for dotfiles.
    pub roots: Vec<PathBuf>,
    /// Folders whose contents never trigger a rebuild (the output folder).
    pub ignored: Vec<PathBuf>,
    /// Symbolic links to watched folders, as named (an event for the link itself counts).
    pub links: Vec<PathBuf>,
}

impl Filter {
    pub(super) fn is_ignored(&self, path: &Path) -> bool {
        if self.ignored.iter().any(|i| path.starts_with(i)) {
            return true;
        }
        if self.links.iter().any(|l| l == path) {
            return false;
        }
        // Events from a parent's watch: only the watched folder itself counts.
        if !self.roots.is_empty() && !self.roots.iter().any(|r| path.starts_with(r)) {
            return true;
        }
        let below = self
            .roots
            .iter()
            .filter_map(|r| path.strip_prefix(r).ok())
            .min_by_key(|p| p.components().count())
            .unwrap_or(path);
        let mut names = below.components().filter_map(|c| match c {
            Component::Normal(n) => Some(n.to_string_lossy()),
            _ => None,
        });
        let ignored_name = |n: &str| {
            n.starts_with('.')
                || n.ends_with('~')
                || n == "4913"
                || (n.starts_with('#') && n.ends_with('#'))
                || n.ends_with(".swp")
                || n.ends_with(".swx")
                || n.ends_with(".swo")
                || n.ends_with(".swpx")
                || n.ends_with(".tmp")
                || n.ends_with("___jb_tmp___")
                || n.ends_with("___jb_old___")
        };
        names.any(|n| ignored_name(&n))
    }
}

/// A live watcher; dropping it stops watching.
pub(crate) struct Watch {
    watcher: notify::RecommendedWatcher,
    watched: BTreeSet<PathBuf>,
    /// Parents of watched folders, watched non-recursively to see a folder come back.
    parents: BTreeSet<PathBuf>,
    /// A watched folder named through a symbolic link: the name given (absolute, links not
    /// followed) → the folder it leads to now, which is what is watched.
    links: std::collections::BTreeMap<PathBuf, PathBuf>,
    filter: std::sync::Arc<std::sync::RwLock<Filter>>,
}

impl Watch {
    /// Start a watcher that sends each relevant event's paths to `tx`.
    pub(super) fn new(ignored: Vec<PathBuf>, tx: Sender<Vec<PathBuf>>) -> notify::Result<Watch> {
        let filter = std::sync::Arc::new(std::sync::RwLock::new(Filter {
            roots: Vec::new(),
            ignored,
            links: Vec::new(),
        }));
        let f = filter.clone();
        let watcher =
            notify::recommended_watcher(move |res: notify::Result<notify::Event>| match res {
                Ok(ev) => {
                    if matches!(ev.kind, EventKind::Access(_)) {
                        return;
                    }
                    let filter = f.read().unwrap_or_else(|e| e.into_inner());
                    let paths: Vec<PathBuf> = ev
                        .paths
                        .into_iter()
                        .filter(|p| !filter.is_ignored(p))
                        .collect();
                    if !paths.is_empty() {
                        log::debug!("change: {:?} {:?}", ev.kind, paths);
                        let _ = tx.send(paths);
                    }
                }
                Err(e) => log::warn!("watching the site: {e}"),
            })?;
        Ok(Watch {
            watcher,
            watched: BTreeSet::new(),
            parents: BTreeSet::new(),
            links: Default::default(),
            filter,
        })
    }

    /// Watch each folder (recursively) not watched yet; a folder inside a watched one is skipped.
    pub(super) fn add(&mut self, dirs: &[PathBuf]) {
        for d in dirs {
            let abs = crate::fsx::absolute(d);
            if !abs.is_dir() || self.watched.iter().any(|w| abs.starts_with(w)) {
                continue;
            }
            // Named through a link: watch the link's folder too (see the module docs).
            if let Ok(named) = std::path::absolute(d)
                && named != abs
                && !self.links.contains_key(&named)
            {
                self.links.insert(named.clone(), abs.clone());
                self.watch_parent(&named);
                let mut f = self.filter.write().unwrap_or_else(|e| e.into_inner());
                f.links.push(named);
            }
            match self.watcher.watch(&abs, RecursiveMode::Recursive) {
                Ok(()) => {
                    log::debug!("watching {}", abs.display());
                    self.watched.insert(abs.clone());
                    self.watch_parent(&abs);
                    let mut f = self.filter.write().unwrap_or_else(|e| e.into_inner());
                    f.roots.push(abs);
                }
                Err(e) => log::warn!("could not watch {}: {e}", d.display()),
            }
        }
    }

    fn watch_parent(&mut self, dir: &Path) {
        let Some(parent) = dir.parent() else { return };
        if self.parents.contains(parent) || !parent.is_dir() {
            return;
        }
        match self.watcher.watch(parent, RecursiveMode::NonRecursive) {
            Ok(()) => {
                self.parents.insert(parent.to_path_buf());
            }
            Err(e) => log::debug!("could not watch {}: {e}", parent.display()),
        }
    }

    /// Watch again each watched folder named in `changed` (created, deleted or replaced as a
    /// whole): its old watch died with the old folder. Call before rebuilding, so that files
    /// created in the new folder meanwhile are seen by the rebuild or by a later event.
    pub(super) fn rewatch(&mut self, changed: &BTreeSet<PathBuf>) {
        // A link pointed elsewhere: its new folder is watched instead of the old one.
        let moved: Vec<(PathBuf, PathBuf, PathBuf)> = self
            .links
            .iter()
            .filter(|(named, _)| changed.contains(*named))
            .map(|(named, old)| (named.clone(), old.clone(), crate::fsx::absolute(named)))
            .filter(|(_, old, new)| old != new)
            .collect();
        for (named, old, new) in moved {
            let _ = self.watcher.unwatch(&old);
            self.watched.remove(&old);
            {
                let mut f = self.filter.write().unwrap_or_else(|e| e.into_inner());
                f.roots.retain(|r| r != &old);
            }
            self.links.insert(named, new.clone());
            log::debug!("{} now leads to {}", old.display(), new.display());
            self.add(std::slice::from_ref(&new));
        }
        let again: Vec<PathBuf> = self
            .watched
            .iter()
            .filter(|w| changed.contains(*w))
            .cloned()
            .collect();
        for dir in again {
            let _ = self.watcher.unwatch(&dir);
            if !dir.is_dir() {
                continue;
            }
            match self.watcher.watch(&dir, RecursiveMode::Recursive) {
                Ok(()) => log::debug!("watching {} again", dir.display()),
                Err(e) => log::warn!("could not watch {} again: {e}", dir.display()),
            }
        }
    }
}

/// Wait for a change, then keep collecting until `quiet` passes without one (or `max` since the
/// first): editors that save through a temp file and a rename, or write twice, make one rebuild.
/// `None` when the watcher is gone.
/// `first` is a batch already received (the builder peeks while it has other work to do).
pub(crate) fn collect(
    rx: &Receiver<Vec<PathBuf>>,
    quiet: Duration,
    max: Duration,
    first: Option<Vec<PathBuf>>,
) -> Option<BTreeSet<PathBuf>> {
    let first = match first {
        Some(f) => f,
        None => rx.recv().ok()?,
    };
    let start = Instant::now();
    let mut all: BTreeSet<PathBuf> = first.into_iter().collect();
    loop {
        let left = max.saturating_sub(start.elapsed());
        if left.is_zero() {
            break;
        }
        match rx.recv_timeout(quiet.min(left)) {
            Ok(more) => all.extend(more),
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    Some(all)
}

/// Wait while a changed file is empty (up to `max`, looking every `step`), taking in the events
/// that come meanwhile: an editor saving in place empties the file, then writes it, and a rebuild
/// between the two reported "the file is empty" for a moment on every rapid save (QA s8). A file
/// still empty after `max` is empty on purpose, and reported.
pub(crate) fn settle(
    rx: &Receiver<Vec<PathBuf>>,
    changed: &mut BTreeSet<PathBuf>,
    step: Duration,
    max: Duration,
) {
    let start = Instant::now();
    let empty = |p: &PathBuf| crate::fsx::file_size(p) == Some(0);
    while changed.iter().any(empty) && start.elapsed() < max {
        std::thread::sleep(step);
        while let Ok(more) = rx.try_recv() {
            changed.extend(more);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_emptied_file_is_waited_for_until_written() {
        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join("a.md");
        crate::fsx::write_replacing(&f, b"").unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let g = f.clone();
        let writer = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(150));
            crate::fsx::write_replacing(&g, b"---\ntitle: A\n---\n").unwrap();
            tx.send(vec![g]).unwrap();
        });
        let mut changed: BTreeSet<PathBuf> = [f.clone()].into();
        let start = Instant::now();
        settle(
            &rx,
            &mut changed,
            Duration::from_millis(10),
            Duration::from_secs(5),
        );
        writer.join().unwrap();
        assert!(crate::fsx::file_size(&f).unwrap() > 0);
        assert!(
            start.elapsed() < Duration::from_secs(4),
            "{:?}",
            start.elapsed()
        );
        // A file emptied on purpose is reported after the wait.
        crate::fsx::write_replacing(&f, b"").unwrap();
        let start = Instant::now();
        settle(
            &rx,
            &mut changed,
            Duration::from_millis(10),
            Duration::from_millis(100),
        );
        assert!(start.elapsed() >= Duration::from_millis(100));
    }

    #[test]
    fn ignores_temp_files_and_dotfiles_below_the_root() {
        let f = Filter {
            roots: vec![PathBuf::from("/home/u/.work/site")],
            ignored: vec![PathBuf::from("/home/u/.work/public")],
            links: vec![PathBuf::from("/home/u/.work/current")],
        };
        // A link to the site, replaced: counts; what else is beside it does not.
        assert!(!f.is_ignored(Path::new("/home/u/.work/current")));
        assert!(f.is_ignored(Path::new("/home/u/.work/notes.txt")));
        let root = Path::new("/home/u/.work/site");
        assert!(!f.is_ignored(&root.join("stories/a.md")));
        assert!(!f.is_ignored(&root.join("config.yaml")));
        for p in [
            "stories/.a.md.swp",
            "stories/a.md.swp",
            "stories/a.md~",
            "stories/4913",
            "stories/.#a.md",
            "stories/#a.md#",
            ".git/index",
            "stories/.DS_Store",
            "a.md___jb_tmp___",
        ] {
            assert!(f.is_ignored(&root.join(p)), "{p}");
        }
        assert!(f.is_ignored(Path::new("/home/u/.work/public/index.html")));
        // From the parent's watch, only the site folder itself counts.
        assert!(!f.is_ignored(root));
        assert!(f.is_ignored(Path::new("/home/u/.work/README.md")));
    }

    #[test]
    fn coalesces_bursts() {
        let (tx, rx) = std::sync::mpsc::channel();
        tx.send(vec![PathBuf::from("a")]).unwrap();
        tx.send(vec![PathBuf::from("b")]).unwrap();
        let got = collect(&rx, Duration::from_millis(20), Duration::from_secs(1), None).unwrap();
        assert_eq!(got.len(), 2);
        drop(tx);
        assert!(collect(&rx, Duration::from_millis(20), Duration::from_secs(1), None).is_none());
    }
}
