//! The one place that touches `std::fs`. Every error names the path it is about; writes of the
//! output go to a staging directory that is swapped in whole, so a failed build never leaves a
//! half-written output behind.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

pub mod output;

pub fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).with_context(|| format!("could not read {}", path.display()))
}

pub fn read_to_string(path: &Path) -> Result<String> {
    fs::read_to_string(path).with_context(|| format!("could not read {}", path.display()))
}

pub fn exists(path: &Path) -> bool {
    path.exists()
}

pub fn is_file(path: &Path) -> bool {
    path.is_file()
}

pub fn file_size(path: &Path) -> Option<u64> {
    fs::metadata(path)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len())
}

/// Absolute, symlink-resolved path when the path exists; otherwise the absolute path of its
/// nearest existing ancestor joined with the rest.
pub fn absolute(path: &Path) -> PathBuf {
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

/// Create (or overwrite) a new file with all of its parent directories.
pub fn create_file_new(path: &Path, bytes: &[u8]) -> Result<()> {
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
    f.write_all(bytes)
        .with_context(|| format!("could not write {}", path.display()))
}

/// Write the whole output into `out` (see [`output`] for the rules, the lock and the swap).
/// Returns the number of files written.
pub fn write_output(
    out: &Path,
    files: &crate::site::Files,
    rules: &output::Rules,
) -> Result<usize> {
    output::write(out, files, rules)
}

/// Write every file into the fresh folder `staging`. Files whose bytes did not change keep the
/// previous file in `previous` (and its mtime) by being hard-linked from it.
fn write_tree(staging: &Path, previous: &Path, files: &crate::site::Files) -> Result<usize> {
    let mut dirs = std::collections::BTreeSet::new();
    for rel in files.keys() {
        let mut p = Path::new(rel.as_str());
        while let Some(parent) = p.parent() {
            if parent.as_os_str().is_empty() || !dirs.insert(parent.to_path_buf()) {
                break;
            }
            p = parent;
        }
    }
    for d in &dirs {
        let dir = staging.join(d);
        fs::create_dir_all(&dir).with_context(|| format!("could not create {}", dir.display()))?;
    }
    use rayon::prelude::*;
    let items: Vec<(&String, &crate::site::Bytes)> = files.iter().collect();
    items
        .par_iter()
        .try_for_each(|(rel, bytes)| -> Result<()> {
            let dest = staging.join(rel.as_str());
            let old = previous.join(rel.as_str());
            // Keep the previous file (same bytes, same mtime) when nothing changed.
            if let Ok(meta) = fs::symlink_metadata(&old)
                && meta.is_file()
                && meta.len() == bytes.len() as u64
                && fs::read(&old).is_ok_and(|b| b == ***bytes)
                && fs::hard_link(&old, &dest).is_ok()
            {
                return Ok(());
            }
            fs::write(&dest, bytes.as_slice())
                .with_context(|| format!("could not write {}", dest.display()))
        })?;
    Ok(files.len())
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

/// Every regular file under `dir`, as (path relative to `dir` with `/` separators, absolute path),
/// sorted. Hidden files and folders (starting with `.`) are skipped. A missing dir gives nothing.
pub fn walk_files(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.with_context(|| format!("could not list {}", dir.display()))?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let rel = rel.to_string_lossy().replace('\\', "/");
            out.push((rel, entry.path().to_path_buf()));
        }
    }
    Ok(out)
}
