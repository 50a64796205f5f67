//! The content model: scanning `site/` (sorted), reading each document, splitting and checking its
//! front matter against its collection's schema, and the typed [`Document`] that results.
//! Cross-document facts (URLs, taxonomies, references, links) live in [`graph`].

pub(crate) mod collections;
pub(crate) mod front_matter;
pub(crate) mod graph;
pub(crate) mod i18n;
pub(crate) mod taxonomy;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

pub(crate) use collections::{Collection, Common, Fields, Schemas};
use front_matter::Positions;

use crate::diagnostics::Diagnostic;

/// One content file, parsed and checked. Compared by value by `crate::memo` (a document read
/// again from an unchanged file is the same document).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Document {
    /// Path for messages: the site folder as given, joined with `rel` (`site/stories/a.md`).
    pub path: PathBuf,
    /// Path relative to the site folder, with `/` (`stories/a.md`).
    pub rel: String,
    pub collection: Collection,
    pub slug: String,
    /// Site-relative URL (`/stories/a/`).
    pub url: String,
    pub common: Common,
    pub fields: Fields,
    /// The file's text (see [`Source`]): [`Document::front_matter`] is always in memory, the
    /// body may be in `lmp serve`'s scratch file; [`Document::body`] and [`Document::text`] read
    /// it back.
    pub text: Arc<Source>,
    /// Where the body starts in the whole text (the front matter's length).
    pub body_start: usize,
    /// 1-based line of the first body line.
    pub body_line: usize,
    /// Where each front matter key is in the file.
    pub positions: Positions,
    /// Values of the fields config added (normalised), for templates as `doc.extra`.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Every front matter value of the file, as checked (normalised): what a translation
    /// inherits from its original ([`crate::content::i18n::inherit`] takes them from here
    /// rather than parsing and checking the original's front matter again for each
    /// translation). Empty for a document no translation's file name names (`crate::memo`
    /// reads those without, and reads one again with them when a translation names it by
    /// `translation_of:`); a one-off build frees the others once the graph is made (see
    /// `pipeline`).
    pub values: Arc<serde_json::Map<String, serde_json::Value>>,
    /// The document's language code (`en`, `es`): the default language's, or the file's suffix.
    pub lang: String,
    /// A translation (`stories/x.es.md`): the rel path of its original (`stories/x.md`), and
    /// its own front matter values (normalised), which [`crate::content::i18n::inherit`] lays over the
    /// original's. `None` for a document in the default language.
    pub translation: Option<Translation>,
}

/// `original` (a rel path in the folder of the translation at `path`) as its file's name is
/// stored: a Mac stores `niño` decomposed (`n`, `~` as two characters), Linux and Windows as
/// typed (composed), and the two look the same on screen. A translation saved in one form next to
/// an original in the other was "a translation of … which does not exist" (QA Q136); it is the
/// translation of the file whose name differs only by that.
fn stored_form(path: &Path, original: String) -> String {
    let (dir, name) = original.rsplit_once('/').unwrap_or(("", &original));
    if name.is_ascii() || crate::fsx::is_file(&path.with_file_name(name)) {
        return original;
    }
    let want = crate::fsx::nfc(name);
    let Some(folder) = path.parent() else {
        return original;
    };
    let found = crate::fsx::file_names(folder)
        .into_iter()
        .find(|n| n != name && crate::fsx::nfc(n) == want);
    match found {
        Some(n) if dir.is_empty() => n,
        Some(n) => format!("{dir}/{n}"),
        None => original,
    }
}

/// The rel path of the original of the translation whose path without its language code is
/// `base_rel` (`stories/x.md` for `stories/x.es.md`): that path, or, with `translation_of: y`,
/// `y.md` in the same folder.
pub(crate) fn original_rel(base_rel: &str, translation_of: Option<&str>) -> String {
    match translation_of {
        Some(of) => match base_rel.rsplit_once('/') {
            Some((dir, _)) => format!("{dir}/{of}.md"),
            None => format!("{of}.md"),
        },
        None => base_rel.to_string(),
    }
}

/// What a translation is besides a document: see [`Document::translation`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Translation {
    pub original: String,
    pub own: Arc<serde_json::Map<String, serde_json::Value>>,
}

/// A content file's text as read. The front matter (with its fences) stays in memory: cards,
/// page keys and front matter messages read it at every build. The body is in memory while the
/// build that read the file runs; `lmp serve` then moves it to its scratch file of sources
/// ([`Source::spill`]) and a later build reads it back only where it needs it (a document's
/// markdown rendered again, a message placed in it); a one-off build frees it as soon as its
/// markdown is rendered ([`Source::free_body`]) and reads the file again for a message placed in
/// it. At 10,000 documents the bodies are about 58 MB, which `serve` held for as long as it ran
/// (580 MB at 100,000).
///
/// The text is one allocation, shared by what reads it ([`Text`]): a copy of the front matter
/// beside the whole text, and of the file's path beside the document's, added ~57 MiB to a
/// 100,000-document build's read stage (session 12); the path is kept only with a spilled body.
///
/// What is compared between builds is the body's digest ([`Source::body_digest`]), never the
/// text read back, so an unchanged document costs no read.
#[derive(Debug)]
pub(crate) struct Source {
    /// The whole text while the body is in memory, else the front matter alone.
    text: std::sync::Mutex<Arc<str>>,
    front_len: usize,
    /// Where the body is once it is no longer in memory (see [`Away`]).
    away: std::sync::OnceLock<Away>,
    body_digest: u128,
    body_len: usize,
}

/// Where a [`Source`]'s body is when it is not in memory.
#[derive(Debug)]
enum Away {
    /// In `lmp serve`'s scratch file of sources ([`Source::spill`]), and the file it was read
    /// from: read again (and checked against the digest) only if the scratch file cannot be.
    Spilled(crate::fsx::spill::Held, PathBuf),
    /// Nowhere but the file it was read from ([`Source::free_body`]): a one-off build reads a
    /// body back after its markdown is rendered only to quote it in a message, so copying every
    /// body to a scratch file (0.6 GB written at 100,000 documents, almost none of it read
    /// back) only made the disk busier while the pages were written.
    Dropped(PathBuf),
}

/// Two sources are the same text when their front matter, body digest and length are: how
/// `crate::memo` compares documents (whose paths it compares besides), without reading a
/// spilled body back.
impl PartialEq for Source {
    fn eq(&self, other: &Source) -> bool {
        self.body_digest == other.body_digest
            && self.body_len == other.body_len
            && *self.front() == *other.front()
    }
}

/// A part of a [`Source`]'s text (the front matter, the body, or the whole), shared or read
/// back.
#[derive(Debug, Clone)]
pub(crate) struct Text {
    text: Arc<str>,
    range: std::ops::Range<usize>,
}

impl Text {
    fn all(text: Arc<str>) -> Text {
        let range = 0..text.len();
        Text { text, range }
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.text.get(self.range.clone()).unwrap_or_default()
    }
}

impl Source {
    /// `text` as read, its body starting at byte `body_start`.
    pub(crate) fn new(text: String, body_start: usize) -> Source {
        let front_len = (0..=body_start.min(text.len()))
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        let body = &text[front_len..];
        Source {
            body_digest: xxhash_rust::xxh3::xxh3_128(body.as_bytes()),
            body_len: body.len(),
            front_len,
            text: std::sync::Mutex::new(Arc::from(text)),
            away: std::sync::OnceLock::new(),
        }
    }

    /// No text at all (a one-off build frees it once every message that quotes it is made).
    pub(crate) fn empty() -> Source {
        Source::new(String::new(), 0)
    }

    fn text(&self) -> Arc<str> {
        self.text
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The whole text, the body in memory or read back.
    pub(crate) fn whole(&self) -> Text {
        let text = self.text();
        if text.len() == self.front_len + self.body_len {
            return Text::all(text);
        }
        let body = self.read_back();
        let mut whole = String::with_capacity(text.len() + body.len());
        whole.push_str(&text);
        whole.push_str(&body);
        Text::all(Arc::from(whole))
    }

    /// The body, in memory or read back.
    pub(crate) fn body(&self) -> Text {
        let text = self.text();
        if text.len() == self.front_len + self.body_len {
            let range = self.front_len..text.len();
            return Text { text, range };
        }
        Text::all(Arc::from(self.read_back()))
    }

    /// The front matter with its fences.
    pub(crate) fn front(&self) -> Text {
        let text = self.text();
        let range = 0..self.front_len.min(text.len());
        Text { text, range }
    }

    /// A digest of the body: the same digest, the same body.
    pub(crate) fn body_digest(&self) -> u128 {
        self.body_digest
    }

    /// Whether the body is in memory.
    pub(crate) fn is_in_memory(&self) -> bool {
        self.away.get().is_none()
    }

    /// Move the body (read from the file at `path`) to `spill` (once) and free it in memory;
    /// left in memory when it cannot be written there. Whether it is on disk.
    pub(crate) fn spill(&self, spill: &Arc<crate::fsx::spill::Spill>, path: &Path) -> bool {
        let mut text = self
            .text
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if self.away.get().is_some() {
            return true;
        }
        let body = text.get(self.front_len..).unwrap_or_default();
        match crate::fsx::spill::Held::put(spill, body.as_bytes()) {
            Ok(h) => {
                let _ = self.away.set(Away::Spilled(h, path.to_path_buf()));
                *text = Arc::from(text.get(..self.front_len).unwrap_or_default());
                true
            }
            Err(e) => {
                log::debug!("{} kept in memory: {e:#}", path.display());
                false
            }
        }
    }

    /// Free the body in memory (once): it is read again from the file at `path` (the file it
    /// was read from) when asked for, and used only if it is still the same text (its digest).
    /// For a one-off build, which no longer renders it (see [`Away::Dropped`]).
    pub(crate) fn free_body(&self, path: &Path) {
        let mut text = self
            .text
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if self.away.get().is_some() || self.body_len == 0 {
            return;
        }
        let _ = self.away.set(Away::Dropped(path.to_path_buf()));
        *text = Arc::from(text.get(..self.front_len).unwrap_or_default());
    }

    /// The body from the scratch file or the file it was read from; should the scratch file
    /// fail (a disk error), from the file itself when it still has the same body; else none
    /// (with an error in the log).
    fn read_back(&self) -> String {
        let (e, path) = match self.away.get() {
            None => return String::new(),
            Some(Away::Spilled(held, path)) => match held.read_string() {
                Ok(b) if b.len() == self.body_len => return b,
                Ok(_) => (
                    anyhow::anyhow!("the scratch file holds another length"),
                    path,
                ),
                Err(e) => (e, path),
            },
            Some(Away::Dropped(path)) => (
                anyhow::anyhow!("the file changed while the site was being built"),
                path,
            ),
        };
        let again = crate::fsx::read(path)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|t| t.get(self.front_len..).map(str::to_string))
            .filter(|b| xxhash_rust::xxh3::xxh3_128(b.as_bytes()) == self.body_digest);
        again.unwrap_or_else(|| {
            log::error!(
                "error: could not read back the text of {}: {e:#}",
                path.display()
            );
            String::new()
        })
    }
}

impl Document {
    /// The body (the text after the front matter), read back if it is on disk.
    pub(crate) fn body(&self) -> Text {
        self.text.body()
    }

    /// The whole text (for messages placed in it), read back if the body is on disk.
    pub(crate) fn whole_text(&self) -> Text {
        self.text.whole()
    }

    /// The text before the body (the front matter with its fences).
    pub(crate) fn front_matter(&self) -> Text {
        self.text.front()
    }

    /// (line, value column) of a front matter key, or the top of the file.
    pub(crate) fn pos(&self, key: &str) -> (usize, usize) {
        self.positions
            .get(key)
            .map(|(l, _, vc)| (*l, *vc))
            .unwrap_or((1, 1))
    }

    /// Whether this is a translation that takes `key` from its original (it does not give it
    /// itself): a warning about that value belongs to the original, not to each translation.
    pub(crate) fn inherits(&self, key: &str) -> bool {
        self.translation
            .as_ref()
            .is_some_and(|t| !t.own.contains_key(key))
    }

    /// A diagnostic at a front matter key's value.
    pub(crate) fn error_at(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        let (l, c) = self.pos(key);
        Diagnostic::error(&self.path, l, c, message).with_source(&self.front_matter())
    }

    /// A diagnostic at an item of a front matter list (an alias in `aliases: [/a/, /b/]`), or
    /// at the key's value when the item is not found as written.
    pub(crate) fn error_at_item(
        &self,
        key: &str,
        item: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (l, c) = self.pos(key);
        let (l, c) = item_place(&self.front_matter(), l, item).unwrap_or((l, c));
        Diagnostic::error(&self.path, l, c, message).with_source(&self.front_matter())
    }

    pub(crate) fn warning_at(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        let (l, c) = self.pos(key);
        Diagnostic::warning(&self.path, l, c, message).with_source(&self.front_matter())
    }

    /// Sort key for lists: newest first, then weight, then title.
    pub(crate) fn sort_date(&self) -> Option<crate::util::Date> {
        self.common.date.or(match &self.fields {
            Fields::Research(r) => Some(crate::util::Date {
                year: r.year as i32,
                month: 1,
                day: 1,
            }),
            _ => None,
        })
    }
}

/// A content file found by the scan.
#[derive(Debug, Clone)]
pub(crate) struct SourceFile {
    pub rel: String,
    pub abs: PathBuf,
    /// The real file when this one is reached through a symlink inside the site.
    pub target: Option<PathBuf>,
}

/// A file of a collection folder that is markdown under another name (QA Q86: `My Story.MD`
/// from Windows, `story.md.txt` from Word's "Save as", `.markdown`): an error that names the
/// file lmp would read, not the warning for PDFs and images.
fn markdown_by_another_name(display_root: &Path, rel: &str, abs: &Path) -> Option<Diagnostic> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let folder = &rel[..rel.len() - name.len()];
    let lower = name.to_lowercase();
    let stem = [".md.txt", ".markdown", ".mdown", ".mkd", ".md", ".txt"]
        .iter()
        .find_map(|ext| lower.strip_suffix(ext).map(|s| (s, *ext)));
    let (stem, ext) = stem?;
    // A `.txt` file is markdown only when it starts with front matter.
    if ext == ".txt" || ext == ".md.txt" {
        let head = crate::fsx::read_prefix(abs, 8).ok()?;
        let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&head);
        if !head.starts_with(b"---") {
            return None;
        }
    }
    let stem = name.get(..stem.len()).unwrap_or(stem);
    // A translation's language stays (`Story.es.MD` → `story.es.md`).
    let (base, lang) = match stem.rsplit_once('.') {
        Some((b, l))
            if (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_alphabetic()) =>
        {
            (b, format!(".{}", l.to_ascii_lowercase()))
        }
        _ => (stem, String::new()),
    };
    let slug = crate::slug::slugify(base);
    let fixed = if slug.is_empty() {
        format!("{base}{lang}.md")
    } else {
        format!("{slug}{lang}.md")
    };
    Some(
        Diagnostic::error(
            display_root.join(rel),
            0,
            0,
            format!("`{name}` is not read: lmp reads markdown only from files whose name ends in `.md` (lowercase)"),
        )
        .with_help(format!(
            "rename it to {folder}{fixed} (the name becomes its address unless it has `slug:`)"
        )),
    )
}

/// `bytes` (UTF-16, see [`is_utf16`]) as text: little-endian unless a big-endian byte order
/// mark or the NULs say otherwise; what does not decode becomes U+FFFD.
fn decode_utf16(bytes: &[u8]) -> String {
    let big = bytes.starts_with(&[0xfe, 0xff])
        || (!bytes.starts_with(&[0xff, 0xfe]) && bytes.first() == Some(&0));
    let units = bytes.chunks_exact(2).map(|c| {
        let pair = [c[0], c.get(1).copied().unwrap_or(0)];
        if big {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    });
    char::decode_utf16(units)
        .map(|r| r.unwrap_or('\u{fffd}'))
        .filter(|&c| c != '\u{feff}')
        .collect()
}

/// Whether `bytes` are UTF-16 text: a UTF-16 byte order mark, or the NUL byte every other
/// byte that Latin text has in UTF-16.
fn is_utf16(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return true;
    }
    let head = &bytes[..bytes.len().min(400)];
    if head.len() < 8 {
        return false;
    }
    let zeros = |odd: usize| {
        head.iter()
            .skip(odd)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let half = head.len() / 2;
    let (even, odd) = (zeros(0), zeros(1));
    (odd * 10 > half * 9 && even * 10 < half) || (even * 10 > half * 9 && odd * 10 < half)
}

/// Folders of `site/` that are not content.
pub(crate) const NON_CONTENT: [&str; 3] = ["static", "templates", "i18n"];

/// Find the content files of a site, sorted. Files that cannot be content are diagnostics.
pub(crate) fn scan(
    site_dir: &Path,
    display_root: &Path,
    schemas: &Schemas,
) -> anyhow::Result<(Vec<SourceFile>, Vec<Diagnostic>)> {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    let walk = crate::fsx::walk(site_dir, site_dir);
    for p in &walk.problems {
        let first = p.rel.split('/').next().unwrap_or("");
        if !NON_CONTENT.contains(&first) {
            diags.push(p.diagnostic(display_root));
        }
    }
    let mut linked = walk.linked;
    let mut unplaced: std::collections::BTreeMap<String, Vec<String>> =
        std::collections::BTreeMap::new();
    // QA s14: `static/` renamed (`statik/`, `Static/`, `static-old/`): one warning per file in
    // it (725 at 10k), and every picture and file of the site missing with "put the file at
    // static/…". Its files are counted, for one error that the missing files are caused by.
    let static_gone = !crate::fsx::is_dir(&site_dir.join("static"));
    let mut static_like: std::collections::BTreeMap<String, usize> =
        std::collections::BTreeMap::new();
    for (rel, abs) in walk.files {
        let target = linked.remove(&rel);
        let first = rel.split('/').next().unwrap_or("");
        if rel == "config.yaml" || NON_CONTENT.contains(&first) {
            continue;
        }
        let is_md = rel.ends_with(".md");
        if !rel.contains('/') {
            if rel == "index.md"
                || crate::content::i18n::split_lang(&rel).1.is_some()
                    && crate::content::i18n::split_lang(&rel).0 == "index.md"
            {
                files.push(SourceFile { rel, abs, target });
            } else if is_md {
                diags.push(
                    Diagnostic::warning(display_root.join(&rel), 0, 0, "this file is not in a collection folder and is not built")
                        .with_help("move it to pages/ (for /its-name/) or to the folder of its collection, e.g. stories/"),
                );
            }
            continue;
        }
        if !is_md && let Some(d) = markdown_by_another_name(display_root, &rel, &abs) {
            diags.push(d);
            continue;
        }
        if !is_md && static_gone && looks_like_static(first) {
            *static_like.entry(first.to_string()).or_default() += 1;
            continue;
        }
        if !is_md {
            // QA Q101: a Word or other text document dropped where stories go.
            let lower = rel.to_lowercase();
            let help = match [".docx", ".doc", ".odt", ".rtf", ".pages", ".txt"]
                .iter()
                .find_map(|e| lower.strip_suffix(e))
            {
                Some(stem) => format!(
                    "lmp reads markdown: paste the text into {}.md with front matter on top (`lmp new` makes one; see docs/authoring.md); a document readers should download goes under static/files/",
                    crate::slug::slugify(stem.rsplit('/').next().unwrap_or(stem))
                ),
                None => "put files to publish (PDFs, images) under static/, e.g. static/files/"
                    .to_string(),
            };
            diags.push(
                Diagnostic::warning(
                    display_root.join(&rel),
                    0,
                    0,
                    "this file is not markdown and is not published",
                )
                .with_help(help),
            );
            continue;
        }
        if schemas.by_folder(first).is_none() {
            unplaced.entry(first.to_string()).or_default().push(rel);
            continue;
        }
        let name = rel.rsplit('/').next().unwrap_or(&rel);
        // (Only a name that starts so can be one: most names are not looked at further.)
        if name.starts_with("_index.") && crate::content::i18n::split_lang(name).0 == "_index.md" {
            // QA Q39: Hugo's section file. It was read as a story ("missing required field
            // `date`"); lmp writes each collection's list page itself.
            diags.push(
                Diagnostic::error(
                    display_root.join(&rel),
                    1,
                    1,
                    format!("`{name}` is Hugo's list page file: lmp writes the list page of {first}/ itself"),
                )
                .with_help(format!(
                    "delete it (the list's title comes from the theme's words, its entries from the files in {first}/), or rename it to make it a document of its own, e.g. {first}/about-{first}.md"
                )),
            );
            continue;
        }
        files.push(SourceFile { rel, abs, target });
    }
    for (folder, n) in static_like {
        let d = Diagnostic::error(
            display_root.join(&folder),
            0,
            0,
            format!(
                "`{folder}/` is not the folder of the site's pictures and files, so {} not published",
                if n == 1 {
                    "its file is".to_string()
                } else {
                    format!("its {n} files are")
                }
            ),
        )
        .with_help("did you mean `static/`? Rename the folder to `static/`: pictures and files are published from there");
        diags.push(crate::diagnostics::explains_missing_files(d));
    }
    // One error per folder that is not a collection's (QA Q9: a renamed folder gave one error
    // per file, after the broken links to them): links to its files under the name it most
    // likely had are marked as caused by it.
    let all = schemas.all();
    let known: Vec<&str> = all.iter().map(|c| c.name()).collect();
    for (folder, rels) in unplaced {
        let meant = folder_meant(&folder, &known);
        let n = rels.len();
        let files = if n == 1 {
            let name = rels
                .first()
                .map_or("", |r| r.rsplit('/').next().unwrap_or(r));
            format!("its file {name} is")
        } else {
            format!("its {n} files are")
        };
        // `site/es/stories/x.md`, the per-language folder of Hugo and Zola (QA Q90).
        let as_translation = rels
            .first()
            .filter(|_| schemas.is_translation_lang(&folder))
            .and_then(|r| {
                let inner = r.strip_prefix(&format!("{folder}/"))?;
                let stem = inner.strip_suffix(".md")?;
                Some((r.clone(), format!("{stem}.{folder}.md")))
            });
        let help = match (meant, as_translation) {
            (_, Some((from, to))) => format!(
                "a translation sits next to its original, with the language before `.md`: move {from} to {to}{}",
                if n > 1 {
                    ", and so on for the other files"
                } else {
                    ""
                }
            ),
            (Some(c), None) => format!(
                "did you mean `{c}/`? Rename the folder to `{c}/` (links to its files use that name), or move the files into the folder of their collection"
            ),
            (None, None) => format!(
                "move the files into the folder of their collection: {}",
                known.join(", ")
            ),
        };
        let d = crate::diagnostics::unplaced_folder(
            display_root.join(&folder),
            &folder,
            &files,
            meant,
            help,
        );
        diags.push(d);
    }
    Ok((files, diags))
}

/// Whether a folder of the site is most likely `static/` renamed (`statik`, `Static`,
/// `static-old`, `statics`).
fn looks_like_static(folder: &str) -> bool {
    let lower = folder.to_lowercase();
    lower.contains("static") || crate::diagnostics::suggest(&lower, ["static"]).is_some()
}

/// The most a content file may weigh (10 MB: a long report is well under 1 MB of markdown).
pub(crate) const MAX_CONTENT_BYTES: usize = 10_000_000;

/// The collection folder an unknown folder most likely was (`practices-old` → `practices`,
/// `Stories` → `stories`, `storys` → `stories`), if exactly one fits.
fn folder_meant<'a>(folder: &str, known: &[&'a str]) -> Option<&'a str> {
    let lower = folder.to_lowercase();
    let fits: Vec<&str> = known
        .iter()
        .copied()
        .filter(|k| {
            lower == *k
                || (k.len() >= 4 && lower.contains(*k))
                || (lower.len() >= 4 && k.contains(lower.as_str()))
        })
        .collect();
    match fits.as_slice() {
        [one] => Some(one),
        [] => crate::diagnostics::suggest(&lower, known.iter().copied()),
        _ => None,
    }
}

/// A picture, a PDF, a Word document or a video saved with a `.md` name, or other binary data
/// (QA s11: "the file is not valid UTF-8 (byte 0xff)… save the file as UTF-8 in your editor"
/// told the author of a renamed photo to re-save it as text): what the file is and where such
/// a file goes instead.
fn not_text(path: &Path, bytes: &[u8]) -> Option<Diagnostic> {
    let head = &bytes[..bytes.len().min(8192)];
    let what = match crate::media::codec::sniff(head) {
        Ok(crate::media::codec::Kind::Svg) => return None,
        Ok(kind) => format!(
            "a {} picture",
            match kind {
                crate::media::codec::Kind::Png => "PNG",
                crate::media::codec::Kind::Gif => "GIF",
                crate::media::codec::Kind::Webp => "WebP",
                _ => "JPEG",
            }
        ),
        Err(w) if w.starts_with("a TIFF") || w.starts_with("a BMP") || w.starts_with("an AVIF") => {
            w.split(',').next().unwrap_or(w).to_string()
        }
        Err(w) if w.starts_with("a PDF") || w.starts_with("a ZIP") || w.starts_with("an MP4") => {
            w.to_string()
        }
        // Word 97-2003, Excel, PowerPoint (OLE compound files).
        Err(_) if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) => {
            "an Office document (Word, Excel or PowerPoint)".to_string()
        }
        Err(_) if head.contains(&0) && std::str::from_utf8(head).is_err() => {
            "binary data (not text)".to_string()
        }
        Err(_) => return None,
    };
    let help = if what.contains("picture") || what.contains("image") {
        "pictures go under static/images/: move it there with its own extension (`.jpg`, `.png`), and show it in a page with `image: /images/photo.jpg` in the front matter or `![what it shows](/images/photo.jpg)` in the text"
    } else if what.contains("video") {
        "videos go under static/videos/ (`.mp4`): show one in a story with a ```` ```{video} ```` block, or make a video page with `lmp new video \"Title\"`"
    } else if what.contains("binary") {
        "content files are markdown text (open one in a text editor to see): move this file out of the site's content folders, or under static/ if readers should download it"
    } else {
        "files for readers to download go under static/files/ and are linked from a page: `[the checklist (PDF)](/files/checklist.pdf)`; to publish a document's text, paste it into a page made with `lmp new`"
    };
    Some(
        Diagnostic::error(
            path,
            1,
            1,
            format!("this file is {what}, not a markdown text file"),
        )
        .with_help(help),
    )
}

/// A translation's error in the value of a field it inherits and may not change (`topics:
/// [negociación]`, `date: 2016-13-01`): the fix is to remove the field, not to correct the
/// value, which would only differ from the original's (fix s20: "not a slug", then, once that
/// was corrected, "a translation is listed under its original's terms": two rounds). The help
/// of each error on such a field's lines says so.
fn inherited_values(split: &front_matter::Split<'_>, diags: &mut [Diagnostic]) {
    use crate::content::i18n::{FIXED, LISTED_AS_ORIGINAL, TERMS};
    let keys = crate::yaml::key_positions(split.front_matter);
    for (i, (key, line, _, _)) in keys.iter().enumerate() {
        let help = if TERMS.contains(&key.as_str()) {
            format!(
                "a translation is listed under its original's terms: remove `{key}:` from it (it inherits the original's); to change them, change them in the original, for every language"
            )
        } else if FIXED.contains(&key.as_str()) {
            format!(
                "a date or a figure is the same in every language: remove `{key}:` from the translation (it inherits the original's)"
            )
        } else if let Some((_, why)) = LISTED_AS_ORIGINAL.iter().find(|(k, _)| k == key) {
            format!("{why}: remove `{key}:` from the translation (it inherits the original's)")
        } else {
            continue;
        };
        let from = line + split.fm_line - 1;
        let to = keys
            .get(i + 1)
            .map_or(split.body_line, |(_, l, _, _)| l + split.fm_line - 1);
        for d in diags
            .iter_mut()
            .filter(|d| d.is_error() && (from..to).contains(&d.line))
        {
            d.help = Some(help.clone());
        }
    }
}

/// Read and parse one content file from its bytes. Pure apart from nothing: testable on strings.
pub(crate) fn parse(
    display_root: &Path,
    rel: &str,
    bytes: Vec<u8>,
    schemas: &Schemas,
) -> (Option<Document>, Vec<Diagnostic>) {
    let path = display_root.join(rel);
    if bytes.len() > MAX_CONTENT_BYTES {
        return (None, vec![too_large(&path, bytes.len() as u64)]);
    }
    // QA Q30: Notepad's "Unicode" (UTF-16, with or without its byte order mark) is text too,
    // but neither UTF-8 nor binary.
    if is_utf16(&bytes) {
        return (
            None,
            vec![
                Diagnostic::error(&path, 1, 1, "the file is saved as UTF-16 (\"Unicode\" in Notepad), not UTF-8")
                    .with_help("save it again as UTF-8: in Notepad, File > Save as, Encoding: UTF-8; in VS Code, click the encoding in the status bar, Save with Encoding, UTF-8"),
            ],
        );
    }
    if let Some(d) = not_text(&path, &bytes) {
        return (None, vec![d]);
    }
    // Checked by `simdutf8` 32 or 64 bytes a step, then copied: the standard library's check
    // leaves its word-at-a-time path at each accent, and Spanish text has one every few dozen
    // bytes (x2.3 the instructions of the English sources' check for x1.22 the bytes, session
    // 15); the copy costs a fraction of that. Text that is not UTF-8 is checked again for where
    // it goes wrong.
    let checked = crate::fsx::utf8(&bytes).ok().map(str::to_owned);
    let text = match checked
        .ok_or(bytes)
        .map_or_else(|b| crate::diagnostics::utf8_text(&path, b), Ok)
    {
        Ok(t) => t,
        Err(d) => return (None, vec![d]),
    };
    if text.contains('\0') {
        let off = text.find('\0').unwrap_or(0);
        let line = text[..off].matches('\n').count() + 1;
        return (
            None,
            vec![
                Diagnostic::error(&path, line, 0, "the file contains a NUL byte")
                    .with_help("this looks like a binary file; content files are markdown text"),
            ],
        );
    }
    let (base_rel, suffix) = crate::content::i18n::split_lang(rel);
    let lang = match suffix {
        // `x.es_MX.md`: a locale's code, not read as a language (see `i18n::underscored`).
        None => match crate::content::i18n::underscored(&path, rel, schemas) {
            Some(d) => return (None, vec![d]),
            None => schemas.default_lang().to_string(),
        },
        Some(code) if schemas.is_translation_lang(code) => code.to_string(),
        Some(code) => {
            return (
                None,
                vec![crate::content::i18n::undeclared(
                    &path, &base_rel, code, schemas,
                )],
            );
        }
    };
    let translation = suffix.is_some();
    let collection = if base_rel == "index.md" {
        Collection::Home
    } else {
        match rel.split('/').next().and_then(|f| schemas.by_folder(f)) {
            Some(c) => c,
            None => {
                return (
                    None,
                    vec![Diagnostic::error(&path, 0, 0, "not in a collection folder")],
                );
            }
        }
    };
    let split = match front_matter::split(&path, &text) {
        Ok(s) => s,
        Err(d) => return (None, vec![d]),
    };
    let body_start = split.body_start;
    let body_line = split.body_line;
    let mut fields = schemas.fields(collection);
    if translation {
        // A translation inherits what it does not give but its own text.
        for f in &mut fields {
            f.required &= crate::content::i18n::OWN_FIELDS.contains(&f.name);
        }
    }
    let file_stem = base_rel
        .rsplit('/')
        .next()
        .unwrap_or(&base_rel)
        .trim_end_matches(".md");
    // `translation_of:` in a file whose name has no language code (`x.md`).
    let only_for_translations = |(l, c): (usize, usize)| {
        Diagnostic::error(&path, l, c, "`translation_of` is only for translations")
            .with_help(format!(
                "a translation's file name ends with its language code before `.md`, e.g. `{file_stem}.{}.md`",
                schemas.langs.get(1).map_or("es", String::as_str)
            ))
            .with_source(&text)
    };
    let (checked, mut diags) = front_matter::check(&path, &text, &split, collection, &fields);
    if checked.is_none() && translation {
        inherited_values(&split, &mut diags);
    }
    if checked.is_none() && !translation {
        // `x-es.md` next to `x.md`: a translation misnamed, not an English document that misses
        // its date (QA Q90). Its name first; what a translation inherits is not missing.
        // So for `translation_of:` in `x.md` (audit s16: only "missing required field `date`"
        // was said, and once a date was added, that `translation_of` is only for translations).
        let first = crate::content::i18n::misnamed(&path, &base_rel, schemas).or_else(|| {
            let (at, line) = (split.front_matter.lines().enumerate())
                .find(|(_, l)| l.starts_with("translation_of:"))?;
            let col = line.len() - line["translation_of:".len()..].trim_start().len() + 1;
            Some(only_for_translations((split.fm_line + at, col)))
        });
        if let Some(d) = first {
            diags.retain(|x| {
                !x.message.starts_with("missing required field")
                    || crate::content::i18n::OWN_FIELDS
                        .iter()
                        .any(|f| x.message.ends_with(&format!("`{f}`")))
            });
            diags.insert(0, d);
        }
    }
    let Some((values, positions)) = checked else {
        return (None, diags);
    };
    let common = match Common::deserialize_from(&values) {
        Ok(mut c) => {
            front_matter::mark_inline_markdown(&mut c, &positions, &text);
            c
        }
        Err(e) => {
            diags.push(Diagnostic::error(&path, 1, 1, format!("front matter: {e}")));
            return (None, diags);
        }
    };
    let fields = match Fields::from_json(collection, &values) {
        Ok(f) => f,
        // A translation's inherited required fields come with its original's (see `i18n`).
        Err(_) if translation => Fields::empty(collection),
        Err(e) => {
            diags.push(Diagnostic::error(&path, 1, 1, format!("front matter: {e}")));
            return (None, diags);
        }
    };
    let slug = match &common.slug {
        Some(s) => s.clone(),
        None => {
            // `stories/bundle/index.md` (a document in a folder of its own, with its pictures)
            // is named by its folder, as Hugo's page bundles are: it was `/stories/index/`, and
            // a second such folder took the same address.
            let s = crate::util::slugify(folder_name(&base_rel).unwrap_or(file_stem));
            if s.is_empty() && collection != Collection::Home {
                diags.push(
                    Diagnostic::error(&path, 0, 0, "the file name gives an empty slug")
                        .with_help("rename the file with letters or digits, or add `slug:`"),
                );
                return (None, diags);
            }
            s
        }
    };
    let prefix = if translation {
        format!("/{lang}")
    } else {
        String::new()
    };
    let url = format!("{prefix}{}", collection.url_for(&slug));
    let extra = match &values {
        serde_json::Value::Object(m) => m
            .iter()
            .filter(|(k, _)| schemas.is_extra(collection, k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        _ => serde_json::Map::new(),
    };
    let original = match (&common.translation_of, translation) {
        (Some(of), true) => original_rel(&base_rel, Some(of)),
        (Some(_), false) => {
            let at = positions
                .get("translation_of")
                .map(|(l, _, vc)| (*l, *vc))
                .unwrap_or((1, 1));
            diags.push(only_for_translations(at));
            return (None, diags);
        }
        (None, _) => base_rel.to_string(),
    };
    let original = if translation {
        stored_form(&path, original)
    } else {
        original
    };
    let values = Arc::new(match values {
        serde_json::Value::Object(m) => m,
        _ => serde_json::Map::new(),
    });
    let translation = translation.then(|| Translation {
        original,
        own: values.clone(),
    });
    if !common.draft {
        diags.extend(placeholders(&path, &text, body_line));
    }
    diags.extend(direction_controls(&path, &text));
    let text = Arc::new(Source::new(text, body_start));
    let doc = Document {
        lang,
        translation,
        extra,
        values,
        path,
        rel: rel.to_string(),
        collection,
        slug,
        url,
        common,
        fields,
        text,
        body_start,
        body_line,
        positions,
    };
    (Some(doc), diags)
}

/// The texts `lmp new` writes for the author to replace (see `cli::scaffold`): the body, the
/// summary and any other text field.
pub(crate) const PLACEHOLDER_BODY: &str = "Write the text here, in markdown.";
pub(crate) const PLACEHOLDER_SUMMARY: &str = "One or two sentences that say what this is about.";
pub(crate) const PLACEHOLDER_TEXT: &str = "Write the text here.";

/// A warning at each placeholder text `lmp new` wrote that is still in a document that is not a
/// draft: readers would see it.
fn placeholders(path: &Path, text: &str, body_line: usize) -> Vec<Diagnostic> {
    if !text.contains("Write the text here") && !text.contains(PLACEHOLDER_SUMMARY) {
        return Vec::new();
    }
    let mut found = Vec::new();
    for (k, line) in text.lines().enumerate() {
        if k + 1 < body_line && line.trim_start().starts_with('#') {
            // A YAML comment: the optional fields `lmp new` lists.
            continue;
        }
        for p in [PLACEHOLDER_BODY, PLACEHOLDER_SUMMARY, PLACEHOLDER_TEXT] {
            if let Some(o) = line.find(p) {
                found.push(
                    Diagnostic::warning(
                        path,
                        k + 1,
                        line[..o].chars().count() + 1,
                        format!("“{p}” is the placeholder `lmp new` wrote: readers would see it"),
                    )
                    .with_help("replace it with this document's own words (or add `draft: true` until the document is ready)")
                    .with_source(text),
                );
                break;
            }
        }
    }
    found
}

/// The name of an invisible Unicode text-direction control, or `None` for any other character.
fn direction_control(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{202a}' => "left-to-right embedding",
        '\u{202b}' => "right-to-left embedding",
        '\u{202c}' => "pop directional formatting",
        '\u{202d}' => "left-to-right override",
        '\u{202e}' => "right-to-left override",
        '\u{2066}' => "left-to-right isolate",
        '\u{2067}' => "right-to-left isolate",
        '\u{2068}' => "first strong isolate",
        '\u{2069}' => "pop directional isolate",
        _ => return None,
    })
}

/// A warning at each line of a file that holds an invisible text-direction control (QA s9
/// Q133: a title with U+202E, the right-to-left override, was published as it was and showed
/// its words backwards in the browser tab, the cards and the feed; pasted into a link's text
/// or a code sample it hides what the text really says). English and Spanish never need one.
fn direction_controls(path: &Path, text: &str) -> Vec<Diagnostic> {
    // Each of them is E2 80 AA-AE or E2 81 A6-A9 in UTF-8: only those bytes are looked at (a
    // walk over every character of every file was 1.5 % of a build's instructions).
    let b = text.as_bytes();
    let any = memchr::memchr_iter(0xE2, b).any(|i| {
        matches!(
            b.get(i + 1..i + 3),
            Some([0x80, 0xAA..=0xAE] | [0x81, 0xA6..=0xA9])
        )
    });
    if !any {
        return Vec::new();
    }
    let lines = crate::diagnostics::Lines::new(text);
    let mut found: Vec<Diagnostic> = Vec::new();
    for (o, c) in text.char_indices() {
        let Some(name) = direction_control(c) else {
            continue;
        };
        let (line, col) = lines.line_col(o);
        if found.last().is_some_and(|d| d.line == line) {
            continue;
        }
        found.push(
            Diagnostic::warning(
                path,
                line,
                col,
                format!(
                    "an invisible {name} character (U+{:04X}) is in the text: it changes the direction of the letters after it, so readers see them in another order than written",
                    c as u32
                ),
            )
            .with_help("delete it: it is invisible, so retype the text around it (English and Spanish text never needs one)")
            .with_source_in(&lines),
        );
    }
    found
}

impl Common {
    fn deserialize_from(v: &serde_json::Value) -> Result<Common, serde_json::Error> {
        use serde::Deserialize as _;
        Common::deserialize(v)
    }
}

/// Scan, read and parse every content file (in parallel). Returns documents sorted by path.
pub(crate) fn load(
    site_dir: &Path,
    display_root: &Path,
    schemas: &Schemas,
) -> anyhow::Result<(Vec<Document>, Vec<Diagnostic>)> {
    let (files, mut diags) = scan(site_dir, display_root, schemas)?;
    let results: Vec<(Option<Document>, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|f| read(display_root, f, schemas))
        .collect();
    let mut docs = Vec::with_capacity(results.len());
    for (doc, d) in results {
        diags.extend(d);
        docs.extend(doc);
    }
    Ok((docs, diags))
}

/// The error of a content file over [`MAX_CONTENT_BYTES`].
fn too_large(path: &Path, len: u64) -> Diagnostic {
    // QA Q16: a 52 MB story built silently with 510 MB of memory (a pasted picture or log).
    let mb = len.div_ceil(1_000_000);
    Diagnostic::error(
        path,
        0,
        0,
        format!("the file is {mb} MB: a content file may have at most 10 MB"),
    )
    .with_help(
        "a page this long is slow to build and to read: put pictures and files under static/ and link them, or split the text into several pages",
    )
}

/// Read and parse one content file found by [`scan`]. A file over [`MAX_CONTENT_BYTES`] is not
/// read (QA s8: `lmp check` read a 52 MB story whole only to refuse it, 267 MB of memory).
pub(crate) fn read(
    display_root: &Path,
    f: &SourceFile,
    schemas: &Schemas,
) -> (Option<Document>, Vec<Diagnostic>) {
    parse_loaded(display_root, f, load_file(f), schemas)
}

/// A content file's bytes as [`load_file`] found them: what [`read`] reads before it parses (the
/// read stage loads files on reader threads ahead of the parsers, see `crate::fsx::ahead`).
pub(crate) enum Loaded {
    Bytes(Vec<u8>),
    /// Over [`MAX_CONTENT_BYTES`]: its size, not read.
    TooLarge(u64),
    Failed(anyhow::Error),
}

impl Loaded {
    /// The bytes it holds in memory.
    pub(crate) fn len(&self) -> usize {
        match self {
            Loaded::Bytes(b) => b.len(),
            _ => 0,
        }
    }
}

/// The bytes of one content file found by [`scan`] (not read when over [`MAX_CONTENT_BYTES`]).
pub(crate) fn load_file(f: &SourceFile) -> Loaded {
    if let Some(len) = crate::fsx::file_size(&f.abs)
        && len > MAX_CONTENT_BYTES as u64
    {
        return Loaded::TooLarge(len);
    }
    match crate::fsx::read(&f.abs) {
        Ok(bytes) => Loaded::Bytes(bytes),
        Err(e) => Loaded::Failed(e),
    }
}

/// [`read`], of the bytes [`load_file`] found.
pub(crate) fn parse_loaded(
    display_root: &Path,
    f: &SourceFile,
    loaded: Loaded,
    schemas: &Schemas,
) -> (Option<Document>, Vec<Diagnostic>) {
    match loaded {
        Loaded::TooLarge(len) => (None, vec![too_large(&display_root.join(&f.rel), len)]),
        Loaded::Bytes(bytes) => parse(display_root, &f.rel, bytes, schemas),
        Loaded::Failed(e) => (
            None,
            vec![
                Diagnostic::error(
                    display_root.join(&f.rel),
                    0,
                    0,
                    format!("could not read this file: {}", e.root_cause()),
                )
                .with_help("make the file readable (check its permissions), or remove it"),
            ],
        ),
    }
}

/// A content file that did not become a [`Document`] (its front matter has errors): what its
/// file name and body still tell, so that links to it resolve and only its own errors are
/// reported, not a "broken link" in every file that links to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stub {
    pub rel: String,
    pub path: PathBuf,
    pub collection: Collection,
    /// From the file name.
    pub slug: String,
    /// Site-relative, as the document would have had.
    pub url: String,
    /// The ids of its body's headings and footnotes.
    pub ids: Vec<String>,
    /// Its body's links (QA Q1: they are checked although the file is not built), the line of
    /// the file the body starts on, and its language suffix (`es`, or "" for an original).
    pub links: Vec<crate::markdown::Link>,
    pub body_line: usize,
    /// Where the body starts in `text` (its length when the front matter does not end).
    pub body_start: usize,
    pub lang: String,
    /// The front matter values that are valid (normalised), where they are, and the file's
    /// text: the graph checks their references (regions, topics, files) like a document's, so
    /// every error of the file comes in one run. Empty when the YAML itself does not parse, and
    /// for translations (their values are laid over the original's).
    pub valid: serde_json::Map<String, serde_json::Value>,
    pub positions: Positions,
    /// Kept when the file has valid values, links or a body (QA s11: the rest of the body's
    /// problems are reported too, in the pipeline's markdown stage); empty otherwise.
    pub text: String,
    /// The site paths written in its `aliases:` (even when that field has errors), with a
    /// trailing `/`: old addresses that links may still use.
    pub aliases: Vec<String>,
}

/// Where `item` (an alias, normalised: with its trailing `/`) is written in a list starting at
/// line `from`: as it is, or without the `/` the author may have left out.
fn item_place(text: &str, from: usize, item: &str) -> Option<(usize, usize)> {
    front_matter::item_pos(text, from, item).or_else(|| {
        item.strip_suffix('/')
            .filter(|i| !i.is_empty())
            .and_then(|i| front_matter::item_pos(text, from, i))
    })
}

impl Stub {
    /// A diagnostic at an item of a front matter list (as [`Document::error_at_item`]).
    pub(crate) fn error_at_item(
        &self,
        key: &str,
        item: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (l, c) = self
            .positions
            .get(key)
            .map(|(l, _, vc)| (*l, *vc))
            .unwrap_or((1, 1));
        let (l, c) = item_place(&self.text, l, item).unwrap_or((l, c));
        Diagnostic::error(&self.path, l, c, message).with_source(&self.text)
    }

    /// A diagnostic at a front matter key's value (as [`Document::error_at`]).
    pub(crate) fn error_at(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        let (l, c) = self
            .positions
            .get(key)
            .map(|(l, _, vc)| (*l, *vc))
            .unwrap_or((1, 1));
        Diagnostic::error(&self.path, l, c, message).with_source(&self.text)
    }
}

/// The [`Stub`] of a content file that did not parse (`None` outside a collection folder).
pub(crate) fn stub(display_root: &Path, rel: &str, text: &str, schemas: &Schemas) -> Option<Stub> {
    let (base_rel, suffix) = crate::content::i18n::split_lang(rel);
    let collection = if base_rel == "index.md" {
        Collection::Home
    } else {
        schemas.by_folder(rel.split('/').next()?)?
    };
    let path = display_root.join(rel);
    let split = front_matter::split(&path, text).ok();
    let body = match &split {
        Some(s) => text.get(s.body_start..).unwrap_or(""),
        None => "",
    };
    // `x.es_MX.md` is not a document of the default language either (its error says so): its
    // values and aliases are not checked as one's.
    let locale =
        suffix.is_none() && crate::content::i18n::underscored(&path, rel, schemas).is_some();
    let (valid, positions) = match &split {
        // A translation's values too (fix s20: its `topics:` that differ from the original's,
        // beside a `titel:`, were said only once that was fixed); not a file whose language is
        // not the site's, nor `x.es_MX.md`, which is not an English document either.
        Some(s) if suffix.map_or(!locale, |c| schemas.is_translation_lang(c)) => {
            let mut fields = schemas.fields(collection);
            if suffix.is_some() {
                // As in [`parse`]: a translation inherits what it does not give but its text.
                for f in &mut fields {
                    f.required &= crate::content::i18n::OWN_FIELDS.contains(&f.name);
                }
            }
            match front_matter::check_all(&path, text, s, collection, &fields).0 {
                Some((serde_json::Value::Object(m), p)) => (m, p),
                _ => Default::default(),
            }
        }
        _ => Default::default(),
    };
    let aliases = match split
        .as_ref()
        .filter(|_| !locale)
        .and_then(|s| crate::yaml::parse(s.front_matter).ok())
    {
        Some(crate::yaml::Yaml::Map(m)) => m
            .into_iter()
            .filter(|(k, _)| k == "aliases")
            .flat_map(|(_, v)| match v {
                crate::yaml::Yaml::List(l) => l,
                v => vec![v],
            })
            .filter_map(|v| match v {
                crate::yaml::Yaml::Str(a) if a.starts_with('/') => {
                    Some(if a.ends_with('/') { a } else { format!("{a}/") })
                }
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let stem = folder_name(&base_rel).unwrap_or_else(|| {
        base_rel
            .rsplit('/')
            .next()
            .unwrap_or(&base_rel)
            .trim_end_matches(".md")
    });
    let slug = crate::util::slugify(stem);
    let prefix = suffix.map(|l| format!("/{l}")).unwrap_or_default();
    let body_md = crate::markdown::render(body, &|_| None);
    let links = body_md
        .links
        .into_iter()
        .filter(|l| matches!(l.kind, crate::markdown::LinkKind::Document { .. }))
        .collect::<Vec<_>>();
    Some(Stub {
        aliases,
        rel: rel.to_string(),
        path,
        collection,
        url: format!("{prefix}{}", collection.url_for(&slug)),
        slug,
        ids: body_md.ids,
        body_line: split.as_ref().map_or(1, |s| s.body_line),
        body_start: split.as_ref().map_or(text.len(), |s| s.body_start),
        lang: suffix.unwrap_or_default().to_string(),
        text: if valid.is_empty() && links.is_empty() && body.trim().is_empty() {
            String::new()
        } else {
            text.to_string()
        },
        valid,
        positions,
        links,
    })
}

/// The folder that names a document in a folder of its own: `bundle` for
/// `stories/bundle/index.md` (not for a collection's own `stories/index.md`).
fn folder_name(base_rel: &str) -> Option<&str> {
    let dir = base_rel.strip_suffix("/index.md")?;
    dir.rsplit_once('/').map(|(_, folder)| folder)
}

/// Read the [`Stub`] of a file that did not parse (see [`read`]).
pub(crate) fn read_stub(display_root: &Path, f: &SourceFile, schemas: &Schemas) -> Option<Stub> {
    // A file over the limit (its own error says so) is read only as far as its front matter:
    // its address and aliases are what links to it need (QA s8: a 52 MB story was read whole
    // again for its stub, 725 MB of memory for `lmp check`; hostile author s22: its stub made of
    // the first 10 MB, their body rendered for its headings, still raised a build's peak memory
    // by ~120 MB). Links to its headings are then not checked (as for an empty file).
    let large = crate::fsx::file_size(&f.abs).is_some_and(|n| n > MAX_CONTENT_BYTES as u64);
    let mut limit = if large {
        LARGE_FILE_FRONT_MATTER
    } else {
        MAX_CONTENT_BYTES
    };
    loop {
        let bytes = crate::fsx::read_prefix(&f.abs, limit).ok()?;
        let cut = bytes.len() >= limit;
        // QA Q112: a file saved as Windows-1252 or UTF-16 exists: links to it resolve to it (its
        // own error says how to save it), read as well as it can be for its headings.
        let mut text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) if is_utf16(e.as_bytes()) => decode_utf16(e.as_bytes()),
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        };
        if large {
            match front_matter::split(&display_root.join(&f.rel), &text) {
                Ok(s) => {
                    let mut end = s.body_start.min(text.len());
                    while !text.is_char_boundary(end) {
                        end -= 1;
                    }
                    text.truncate(end);
                }
                // Hostile author s23: front matter longer than the first read (a summary or a
                // list of aliases pasted long) gave a stub with no fields (no title, no
                // aliases: links to them were broken): read on, to the end of the front
                // matter, up to the limit of a whole file.
                Err(_) if cut && limit < MAX_CONTENT_BYTES => {
                    limit = (limit * 8).min(MAX_CONTENT_BYTES);
                    continue;
                }
                Err(_) => text.clear(),
            }
        }
        return stub(display_root, &f.rel, &text, schemas);
    }
}

/// How much of a file over [`MAX_CONTENT_BYTES`] is read first for its stub: its front matter
/// (read on, if it is longer, see [`read_stub`]).
const LARGE_FILE_FRONT_MATTER: usize = 64 * 1024;

#[cfg(test)]
mod fuzz {
    //! Property tests: the parser never panics, whatever the bytes, and every diagnostic it
    //! returns points into the file.
    use proptest::prelude::*;

    const VALID: &str = "---\ntitle: Learning to lead\ndate: 2013-07-22\nsummary: A delegate's example.\nregions: [hawaii]\ntopics: [leadership]\nresults:\n  - {measure: a, before: b, after: c}\nmembers: 541000\n---\nBody with [a link](../guides/x.md#step-2).\n";

    fn check(rel: &str, bytes: Vec<u8>) {
        let root = std::path::Path::new("site");
        let text_lines = String::from_utf8_lossy(&bytes).lines().count().max(1);
        let (_, diags) = super::parse(root, rel, bytes, &super::Schemas::default());
        for d in diags {
            assert!(
                d.line <= text_lines + 1,
                "line {} beyond the file ({text_lines} lines): {d:?}",
                d.line
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            for rel in ["stories/x.md", "regions/x.md", "practices/x.md", "index.md"] {
                check(rel, bytes.clone());
            }
        }

        #[test]
        fn mutated_valid_documents_never_panic(
            edits in proptest::collection::vec((0usize..400, any::<u8>(), 0u8..3), 1..12)
        ) {
            let mut bytes = VALID.as_bytes().to_vec();
            for (pos, byte, op) in edits {
                let pos = pos % (bytes.len() + 1);
                match op {
                    0 => bytes.insert(pos, byte),
                    1 if pos < bytes.len() => { bytes.remove(pos); }
                    _ if pos < bytes.len() => bytes[pos] = byte,
                    _ => {}
                }
            }
            for rel in ["stories/x.md", "regions/x.md", "practices/x.md", "tools/x.md"] {
                check(rel, bytes.clone());
            }
        }

        #[test]
        fn yaml_shaped_text_never_panics(s in "(---\n)?([a-z_]{1,8}: ?[\\[\\]{}&*!|>'\"a-z0-9:, -]{0,20}\n){0,8}(---\n)?[a-z ]{0,20}") {
            check("stories/x.md", s.into_bytes());
        }
    }
}

#[cfg(test)]
mod source_tests {
    use super::*;

    /// Hostile author s22: the stub of a file over the limit was made of its first 10 MB, its
    /// body rendered (~120 MB of a build's peak memory): only its front matter is read now, and
    /// it still gives the address and aliases links to it resolve to.
    #[test]
    fn the_stub_of_a_file_over_the_limit_is_its_front_matter() {
        let dir = tempfile::tempdir().unwrap();
        let abs = dir.path().join("big.md");
        let head = "---\ntitle: Big\ndate: 2020-01-01\nsummary: S.\naliases: [/old-big/]\n---\n";
        let mut text = String::from(head);
        while text.len() <= MAX_CONTENT_BYTES {
            text.push_str("## A heading\n\nSome [text](other.md) of a pasted log.\n\n");
        }
        crate::fsx::write_replacing(&abs, text.as_bytes()).unwrap();
        let f = SourceFile {
            rel: "stories/big.md".into(),
            abs,
            target: None,
        };
        let stub = read_stub(Path::new("site"), &f, &Schemas::default()).unwrap();
        assert_eq!(stub.url, "/stories/big/");
        assert_eq!(stub.aliases, ["/old-big/"]);
        assert!(stub.text.len() <= head.len(), "{} bytes", stub.text.len());
        assert!(stub.ids.is_empty() && stub.links.is_empty());

        // Hostile author s23: front matter longer than the first 64 KiB read gave a stub with
        // no fields (its aliases lost: links to them broken); it is read to its end.
        let long = format!(
            "---\ntitle: Big\ndate: 2020-01-01\nsummary: \"{}\"\naliases: [/old-big/]\n---\n",
            "A long summary pasted twice. ".repeat(4000)
        );
        assert!(long.len() > LARGE_FILE_FRONT_MATTER);
        let mut text = long.clone();
        while text.len() <= MAX_CONTENT_BYTES {
            text.push_str("## A heading\n\nSome [text](other.md) of a pasted log.\n\n");
        }
        crate::fsx::write_replacing(&f.abs, text.as_bytes()).unwrap();
        let stub = read_stub(Path::new("site"), &f, &Schemas::default()).unwrap();
        assert_eq!(stub.aliases, ["/old-big/"]);
        assert_eq!(stub.valid.get("title"), Some(&serde_json::json!("Big")));
        assert_eq!(stub.text.len(), long.len());
    }

    /// A one-off build frees the bodies once their pages no longer need them: a message placed
    /// in one later reads it again from its file, and only while the file has the same body (an
    /// edit made during the build must not be quoted as the text that was built).
    #[test]
    fn a_freed_body_is_read_again_from_its_file_while_it_is_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        let text = "---\ntitle: A\n---\nThe body, line one.\nLine two ñ.\n";
        crate::fsx::write_replacing(&path, text.as_bytes()).unwrap();
        let body_start = text.find("The body").unwrap();
        let src = Source::new(text.to_string(), body_start);
        src.free_body(&path);
        assert!(!src.is_in_memory());
        assert_eq!(
            &*src.front(),
            "---\ntitle: A\n---\n",
            "the front matter stays"
        );
        assert_eq!(&*src.body(), "The body, line one.\nLine two ñ.\n");
        assert_eq!(&*src.whole(), text);
        // Edited after the build read it: the old body is not made up from the new text.
        crate::fsx::write_replacing(&path, b"---\ntitle: A\n---\nAnother body.\n").unwrap();
        assert_eq!(&*src.body(), "");
        assert_eq!(&*src.front(), "---\ntitle: A\n---\n");
    }

    /// A body with nothing in it is not freed (nothing to gain, nothing to read again).
    #[test]
    fn an_empty_body_stays_in_memory() {
        let src = Source::new("---\ntitle: A\n---\n".to_string(), 17);
        src.free_body(Path::new("/nonexistent/a.md"));
        assert!(src.is_in_memory());
        assert_eq!(&*src.whole(), "---\ntitle: A\n---\n");
    }
}
