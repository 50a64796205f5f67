//! Incremental rebuilds give, byte for byte, what a fresh full build gives.
//!
//! A copy of the sample site (`site/`) goes through a long, seeded, random sequence of edits: body
//! and front matter edits, new, renamed and deleted documents, config, template override and static
//! file changes, no-op touches, empty steps, and deliberately invalid edits that later steps undo.
//! After every step `Incremental::rebuild`, told exactly the paths the step touched, must agree with
//! a fresh `lmp::build`: both succeed with the same files (same paths, same bytes), warnings,
//! counts, page count and watched inputs, or both fail with the same diagnostics. The same builder
//! keeps going after a failed step, as `lmp serve` does.
//!
//! `LMP_INC_SEED` (decimal or `0x` hex) and `LMP_INC_STEPS` choose the sequence; a failure prints
//! both, a command to replay it, and the log of every step (`LMP_INC_LOG=1` prints the log of a
//! passing run too, with `--nocapture`). The paths given to `rebuild` are files, never folders: a
//! rename gives both names, a deletion the removed file, a touch an unchanged file.
//!
//! A second test runs a short scripted sequence with every kind of mutation once, and checks which
//! steps fail and which change the output; a third checks that the comparison itself catches
//! differences.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use lmp::diagnostics::{self, Diagnostic, Format};
use lmp::incremental::Incremental;
use lmp::site::{Built, Failed, Files, Options};
use lmp::util::Date;

const DEFAULT_SEED: u64 = 0x1a5e_ed00_2024_0630;
/// Two builds a step: about 25 s in a debug build on two busy cores while `rebuild` is a full build.
const DEFAULT_STEPS: usize = 150;
/// Fixed so that future-dated documents and the footer year do not depend on the day of the run.
const TODAY: Date = Date {
    year: 2024,
    month: 6,
    day: 30,
};

use crate::harness::COLLECTIONS;
/// Collections whose documents take `topics`.
const TOPIC_COLLECTIONS: [&str; 6] = [
    "stories",
    "guides",
    "practices",
    "tools",
    "videos",
    "research",
];
/// Collections whose documents take `date` and `updated`.
const DATED_COLLECTIONS: [&str; 5] = ["stories", "guides", "practices", "tools", "videos"];
/// The topic slugs of `site/config.yaml` (config edits rename topics, never change slugs).
const TOPICS: [&str; 15] = [
    "ubt-basics",
    "partnership-history",
    "bargaining",
    "union-members",
    "leadership",
    "performance-improvement",
    "patient-safety",
    "workplace-safety",
    "training",
    "communication",
    "research",
    "website-help",
    "technology",
    "service",
    "engagement",
];
const WORDS: [&str; 32] = [
    "team",
    "huddle",
    "partnership",
    "union",
    "patient",
    "safety",
    "care",
    "manager",
    "worker",
    "physician",
    "region",
    "improvement",
    "measure",
    "board",
    "coach",
    "member",
    "service",
    "training",
    "agreement",
    "council",
    "sponsor",
    "goal",
    "result",
    "practice",
    "story",
    "voice",
    "trust",
    "change",
    "test",
    "schedule",
    "nurse",
    "clinic",
];

/// What a step may do to the site. Each kind is one function of [`Sim`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    // Bodies.
    AppendParagraph,
    ChangeWord,
    AddHeading,
    RemoveHeading,
    LinkDocument,
    LinkAnchor,
    CodeBlock,
    BrokenLink,
    /// A component (`{figures}` of a region, `{download}` of a static file, …), an alert or
    /// raw HTML: their output depends on region documents, static files and the theme too.
    Component,
    UrlLink,
    // Front matter.
    Title,
    Date,
    Summary,
    AddTopic,
    RemoveTopic,
    Draft,
    Featured,
    RegionFigures,
    Alias,
    Weight,
    Slug,
    UnknownTopic,
    BrokenYaml,
    UnknownField,
    // Whole documents and stray files.
    Create,
    Delete,
    Rename,
    RenameFixLinks,
    StrayFile,
    // Translations (`x.es.md` next to `x.md`).
    /// Add a Spanish translation of a document that has none (sometimes with its own slug).
    Translate,
    /// Edit a translation's front matter: its title, its own slug, or a date it may not change.
    EditTranslation,
    /// Delete a translation.
    Untranslate,
    /// Add a component, an alert or a link to a translation: its words, numbers, dates and file
    /// types are the translation's language's, and a link leads to the target's translation when
    /// there is one, else to the original with `hreflang`.
    TranslationComponent,
    /// Spanish lists with or without the English documents not yet translated
    /// (`untranslated: show` ↔ `hide`): with `hide` a list with no Spanish document is no version
    /// of the English one (QA Q123), and each translation added or removed may make one so.
    Untranslated,
    // Config, templates, static files.
    Config,
    BrokenConfig,
    TemplateEdit,
    TemplateDelete,
    BrokenTemplate,
    StaticAdd,
    StaticEdit,
    StaticDelete,
    /// Add an image and show it in a body, replace an image's pixels, or delete an image.
    Image,
    // Everything else.
    Touch,
    Checkout,
    Repair,
    RepairAll,
}

/// Kinds and their weights for the random sequence. `RepairAll` is not drawn: it runs when the
/// site has failed for several steps in a row.
const WEIGHTS: [(Kind, u32); 46] = [
    (Kind::AppendParagraph, 6),
    (Kind::ChangeWord, 6),
    (Kind::AddHeading, 4),
    (Kind::RemoveHeading, 3),
    (Kind::LinkDocument, 5),
    (Kind::LinkAnchor, 4),
    (Kind::CodeBlock, 3),
    (Kind::BrokenLink, 1),
    (Kind::Component, 5),
    (Kind::UrlLink, 3),
    (Kind::Title, 5),
    (Kind::Date, 5),
    (Kind::Summary, 4),
    (Kind::AddTopic, 4),
    (Kind::RemoveTopic, 3),
    (Kind::Draft, 2),
    (Kind::Featured, 2),
    (Kind::RegionFigures, 4),
    (Kind::Alias, 2),
    (Kind::Weight, 2),
    (Kind::Slug, 3),
    (Kind::UnknownTopic, 1),
    (Kind::BrokenYaml, 1),
    (Kind::UnknownField, 1),
    (Kind::Create, 5),
    (Kind::Delete, 2),
    (Kind::Rename, 2),
    (Kind::RenameFixLinks, 3),
    (Kind::StrayFile, 2),
    (Kind::Translate, 4),
    (Kind::EditTranslation, 3),
    (Kind::Untranslate, 2),
    (Kind::TranslationComponent, 3),
    (Kind::Untranslated, 1),
    (Kind::Config, 3),
    (Kind::BrokenConfig, 1),
    (Kind::TemplateEdit, 4),
    (Kind::TemplateDelete, 2),
    (Kind::BrokenTemplate, 1),
    (Kind::StaticAdd, 3),
    (Kind::StaticEdit, 2),
    (Kind::StaticDelete, 1),
    (Kind::Image, 3),
    (Kind::Touch, 2),
    (Kind::Checkout, 1),
    (Kind::Repair, 2),
];

/// SplitMix64: small, seedable, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        assert!(n > 0);
        (self.next() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }

    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A random item, or `None` when there is none.
    fn choose<T: Clone>(&mut self, items: &[T]) -> Option<T> {
        (!items.is_empty()).then(|| self.pick(items).clone())
    }

    fn words(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| *self.pick(&WORDS))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Capitalised words, for titles and headings.
    fn title(&mut self, n: usize) -> String {
        capitalize(&self.words(n))
    }

    fn sentence(&mut self) -> String {
        let n = 6 + self.below(10);
        format!("{}.", capitalize(&self.words(n)))
    }

    fn date(&mut self, from_year: i64, to_year: i64) -> String {
        format!(
            "{:04}-{:02}-{:02}",
            self.range(from_year, to_year),
            self.range(1, 12),
            self.range(1, 28)
        )
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn env_number(name: &str) -> Option<u64> {
    let v = std::env::var(name).ok()?;
    let v = v.trim();
    let parsed = match v.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(&hex.replace('_', ""), 16),
        None => v.replace('_', "").parse(),
    };
    Some(parsed.unwrap_or_else(|_| panic!("{name}={v} is not a number")))
}

/// YAML lines edited key by key: a key's block is its line and the indented or `- ` lines after.
struct Lines(Vec<String>);

impl Lines {
    fn parse(text: &str) -> Lines {
        Lines(text.lines().map(String::from).collect())
    }

    fn block(&self, key: &str) -> Option<(usize, usize)> {
        let start = self.0.iter().position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.starts_with(':'))
        })?;
        let mut end = start + 1;
        while end < self.0.len()
            && (self.0[end].starts_with([' ', '\t', '-']) || self.0[end].trim().is_empty())
        {
            end += 1;
        }
        Some((start, end))
    }

    fn get(&self, key: &str) -> Option<&str> {
        let (start, _) = self.block(key)?;
        Some(self.0[start][key.len() + 1..].trim())
    }

    /// Replace the key's block with one line, or add the line at the end.
    fn set(&mut self, key: &str, value: &str) {
        let line = format!("{key}: {value}");
        match self.block(key) {
            Some((start, end)) => {
                self.0.splice(start..end, [line]);
            }
            None => self.0.push(line),
        }
    }

    fn remove(&mut self, key: &str) -> bool {
        match self.block(key) {
            Some((start, end)) => {
                self.0.drain(start..end);
                true
            }
            None => false,
        }
    }

    /// A flow list (`[a, b]`); `None` when the key is missing or not a flow list.
    fn list(&self, key: &str) -> Option<Vec<String>> {
        let v = self.get(key)?;
        let inner = v.strip_prefix('[')?.strip_suffix(']')?;
        Some(
            inner
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
        )
    }

    fn set_list(&mut self, key: &str, items: &[String]) {
        self.set(key, &format!("[{}]", items.join(", ")));
    }

    fn text(&self) -> String {
        let mut s = self.0.join("\n");
        s.push('\n');
        s
    }
}

/// A document: front matter lines and the body after the closing `---`.
struct Doc {
    fm: Lines,
    body: String,
}

impl Doc {
    fn parse(text: &str) -> Option<Doc> {
        let rest = text.strip_prefix("---\n")?;
        let end = rest.find("\n---\n")?;
        Some(Doc {
            fm: Lines::parse(&rest[..end]),
            body: rest[end + 5..].to_string(),
        })
    }

    fn text(&self) -> String {
        format!("---\n{}---\n{}", self.fm.text(), self.body)
    }

    /// The slug the document is published under.
    fn slug(&self, rel: &str) -> String {
        match self.fm.get("slug") {
            Some(s) => s.trim_matches('"').to_string(),
            None => stem(rel).to_string(),
        }
    }

    fn push_paragraph(&mut self, para: &str) {
        if !self.body.is_empty() && !self.body.ends_with('\n') {
            self.body.push('\n');
        }
        self.body.push('\n');
        self.body.push_str(para);
        self.body.push('\n');
    }

    /// Byte ranges of the body's heading lines (outside fenced code), with their text.
    fn headings(&self) -> Vec<(usize, usize, String)> {
        let mut out = Vec::new();
        let mut fence = false;
        let mut at = 0;
        for line in self.body.split_inclusive('\n') {
            if line.starts_with("```") {
                fence = !fence;
            } else if !fence && line.starts_with("##") {
                out.push((at, at + line.len(), line.trim_end().to_string()));
            }
            at += line.len();
        }
        out
    }

    /// Anchors another document may link to: explicit `{#id}`s, and the generated ids of headings
    /// made only of ASCII letters, digits and spaces (lowercased, spaces to `-`).
    fn anchors(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (_, _, line) in self.headings() {
            let text = line.trim_start_matches('#').trim();
            if let Some(i) = text.find("{#") {
                if let Some(j) = text[i..].find('}') {
                    out.push(text[i + 2..i + j].to_string());
                }
            } else if !text.is_empty()
                && text.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ')
            {
                out.push(
                    text.split_whitespace()
                        .collect::<Vec<_>>()
                        .join("-")
                        .to_ascii_lowercase(),
                );
            }
        }
        out
    }
}

fn collection(rel: &str) -> &str {
    rel.split_once('/').map_or("", |(c, _)| c)
}

fn dir_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

fn file_name(rel: &str) -> &str {
    rel.rsplit_once('/').map_or(rel, |(_, f)| f)
}

fn stem(rel: &str) -> &str {
    let f = file_name(rel);
    f.strip_suffix(".md").unwrap_or(f)
}

fn is_doc(rel: &str) -> bool {
    rel == "index.md"
        || (rel.ends_with(".md")
            && rel.matches('/').count() == 1
            && COLLECTIONS.contains(&collection(rel)))
}

/// The relative link from document `from` to document `to` (both site-relative).
fn link_from(from: &str, to: &str) -> String {
    let (fd, td) = (dir_of(from), dir_of(to));
    if fd == td {
        file_name(to).to_string()
    } else if fd.is_empty() {
        to.to_string()
    } else {
        format!("{}{to}", "../".repeat(fd.split('/').count()))
    }
}

/// The site-relative file a relative link in document `from` points to.
fn resolve(from: &str, target: &str) -> Option<String> {
    if target.contains(':') || target.starts_with('/') || target.is_empty() {
        return None;
    }
    let mut parts: Vec<&str> = dir_of(from).split('/').filter(|s| !s.is_empty()).collect();
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Point every markdown link of `text` (the text of document `from`) that goes to `old` at `new`.
fn rewrite_links(text: &str, from: &str, old: &str, new: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("](") {
        out.push_str(&rest[..i + 2]);
        rest = &rest[i + 2..];
        let Some(j) = rest.find(')') else { break };
        let target = &rest[..j];
        let (path, fragment) = target.split_at(target.find('#').unwrap_or(target.len()));
        if resolve(from, path).as_deref() == Some(old) {
            out.push_str(&link_from(from, new));
            out.push_str(fragment);
        } else {
            out.push_str(target);
        }
        out.push(')');
        rest = &rest[j + 1..];
    }
    out.push_str(rest);
    out
}

/// Put `snippet` where a template shows it: before `</body>`, at the end of the `main` block, at
/// the end of another block of a child template, or at the end of a partial.
fn insert_in_template(tpl: &str, snippet: &str) -> String {
    let at = tpl
        .rfind("</body>")
        .or_else(|| tpl.rfind("{% endblock main %}"))
        // A component's file: inside the component, or the edit renders nowhere.
        .or_else(|| tpl.rfind("{%- endcomponent"))
        .or_else(|| {
            tpl.trim_start()
                .starts_with("{% extends")
                .then(|| tpl.rfind("{% endblock"))
                .flatten()
        });
    match at {
        Some(i) => format!("{}{snippet}\n{}", &tpl[..i], &tpl[i..]),
        None => format!("{tpl}\n{snippet}\n"),
    }
}

/// Site-relative paths of the files under `root/under`, sorted.
fn walk(root: &Path, under: &str) -> Vec<String> {
    let dir = root.join(under);
    if !dir.is_dir() {
        return Vec::new();
    }
    walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The prior contents of the files one mutation touched (`None`: the file did not exist).
type Prior = Vec<(String, Option<Vec<u8>>)>;

/// The site under test, the incremental builder, and the record of what was done to them.
struct Sim {
    _tmp: tempfile::TempDir,
    site: PathBuf,
    opts: Options,
    inc: Incremental,
    rng: Rng,
    /// The seed of a random sequence (`None` for the scripted one), for the failure message.
    seed: Option<u64>,
    serial: usize,
    /// Paths touched since the last rebuild, in order, without repeats.
    touched: Vec<PathBuf>,
    /// Prior contents of what the current mutation touched.
    prior: Prior,
    /// The mutations since the last successful build, with their prior contents: undoing them
    /// all, newest first, gives back the site of that build.
    history: Vec<(String, Prior)>,
    /// The built-in theme's templates (name, text) and static files (path under `static/`).
    theme_templates: Vec<(String, String)>,
    theme_statics: Vec<String>,
    steps: usize,
    log: Vec<String>,
    /// Failed steps in a row.
    failing: usize,
    ok_steps: usize,
    err_steps: usize,
    kinds: BTreeMap<Kind, usize>,
    /// The files of the last successful build.
    last_files: Option<Files>,
}

impl Sim {
    fn new(seed: u64) -> Sim {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        crate::harness::copy_dir(&manifest_dir().join("site"), &site);
        let mut opts = Options::new(&site);
        opts.today = TODAY;
        let theme = manifest_dir().join("themes/lmp");
        let theme_templates = walk(&theme, "templates")
            .into_iter()
            .map(|rel| {
                let text = std::fs::read_to_string(theme.join(&rel)).unwrap();
                (rel["templates/".len()..].to_string(), text)
            })
            .collect();
        let theme_statics = walk(&theme, "static")
            .into_iter()
            .map(|rel| rel["static/".len()..].to_string())
            .collect();
        Sim {
            _tmp: tmp,
            inc: Incremental::new(opts.clone()),
            site,
            opts,
            rng: Rng(seed),
            seed: Some(seed),
            serial: 0,
            touched: Vec::new(),
            prior: Vec::new(),
            history: Vec::new(),
            theme_templates,
            theme_statics,
            steps: 0,
            log: Vec::new(),
            failing: 0,
            ok_steps: 0,
            err_steps: 0,
            kinds: BTreeMap::new(),
            last_files: None,
        }
    }

    // ---- Files: every change goes through these, which record the touched path and its prior
    // contents.

    fn abs(&self, rel: &str) -> PathBuf {
        self.site.join(rel)
    }

    fn read(&self, rel: &str) -> Option<String> {
        std::fs::read_to_string(self.abs(rel)).ok()
    }

    fn read_bytes(&self, rel: &str) -> Option<Vec<u8>> {
        std::fs::read(self.abs(rel)).ok()
    }

    fn exists(&self, rel: &str) -> bool {
        self.abs(rel).is_file()
    }

    fn mark(&mut self, rel: &str) {
        let p = self.abs(rel);
        if !self.touched.contains(&p) {
            self.touched.push(p);
        }
    }

    fn note(&mut self, rel: &str) {
        let prior = self.read_bytes(rel);
        self.prior.push((rel.to_string(), prior));
        self.mark(rel);
    }

    fn write(&mut self, rel: &str, bytes: impl AsRef<[u8]>) {
        self.note(rel);
        self.put(rel, Some(bytes.as_ref()));
    }

    fn remove(&mut self, rel: &str) {
        self.note(rel);
        self.put(rel, None);
    }

    fn rename(&mut self, from: &str, to: &str) {
        self.note(from);
        self.note(to);
        let dest = self.abs(to);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::rename(self.abs(from), dest).unwrap();
    }

    /// Write or remove a file without recording it for undo (undo itself, checkout).
    fn put(&mut self, rel: &str, bytes: Option<&[u8]>) {
        self.mark(rel);
        let p = self.abs(rel);
        match bytes {
            Some(b) => {
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(&p, b).unwrap();
            }
            None => {
                if p.is_file() {
                    std::fs::remove_file(&p).unwrap();
                }
            }
        }
    }

    fn files(&self, under: &str) -> Vec<String> {
        walk(&self.site, under)
    }

    fn docs(&self) -> Vec<String> {
        self.files("").into_iter().filter(|r| is_doc(r)).collect()
    }

    /// Every document but the home page (`index.md`).
    fn docs_but_home(&self) -> Vec<String> {
        self.docs()
            .into_iter()
            .filter(|d| d != "index.md")
            .collect()
    }

    fn serial(&mut self) -> usize {
        self.serial += 1;
        self.serial
    }

    /// A random document (that parses) for which `ok` holds.
    fn pick_doc(&mut self, ok: impl Fn(&str, &Doc) -> bool) -> Option<(String, Doc)> {
        let mut found: Vec<(String, Doc)> = self
            .docs()
            .into_iter()
            .filter_map(|rel| {
                let doc = Doc::parse(&self.read(&rel)?)?;
                ok(&rel, &doc).then_some((rel, doc))
            })
            .collect();
        if found.is_empty() {
            return None;
        }
        let i = self.rng.below(found.len());
        Some(found.swap_remove(i))
    }

    fn in_collections<'a>(colls: &'a [&'a str]) -> impl Fn(&str, &Doc) -> bool + 'a {
        move |rel, _| colls.contains(&collection(rel))
    }

    // ---- Mutations. Each returns what it did, or `None` (having touched nothing) when it does
    // not apply to the site as it is.

    fn mutate(&mut self, kind: Kind) -> Option<String> {
        let what = match kind {
            Kind::AppendParagraph => self.append_paragraph(),
            Kind::ChangeWord => self.change_word(),
            Kind::AddHeading => self.add_heading(),
            Kind::RemoveHeading => self.remove_heading(),
            Kind::LinkDocument => self.link_document(),
            Kind::LinkAnchor => self.link_anchor(),
            Kind::CodeBlock => self.code_block(),
            Kind::BrokenLink => self.broken_link(),
            Kind::Component => self.component(),
            Kind::UrlLink => self.url_link(),
            Kind::Title => self.title(),
            Kind::Date => self.date(),
            Kind::Summary => self.summary(),
            Kind::AddTopic => self.add_topic(),
            Kind::RemoveTopic => self.remove_topic(),
            Kind::Draft => self.draft(),
            Kind::Featured => self.featured(),
            Kind::RegionFigures => self.region_figures(),
            Kind::Alias => self.alias(),
            Kind::Weight => self.weight(),
            Kind::Slug => self.slug(),
            Kind::UnknownTopic => self.unknown_topic(),
            Kind::BrokenYaml => self.broken_yaml(),
            Kind::UnknownField => self.unknown_field(),
            Kind::Create => self.create(),
            Kind::Delete => self.delete(),
            Kind::Rename => self.rename_doc(),
            Kind::RenameFixLinks => self.rename_fix_links(),
            Kind::StrayFile => self.stray_file(),
            Kind::Translate => self.translate(),
            Kind::EditTranslation => self.edit_translation(),
            Kind::Untranslate => self.untranslate(),
            Kind::TranslationComponent => self.translation_component(),
            Kind::Untranslated => self.untranslated(),
            Kind::Config => self.config(),
            Kind::BrokenConfig => self.broken_config(),
            Kind::TemplateEdit => self.template_edit(),
            Kind::TemplateDelete => self.template_delete(),
            Kind::BrokenTemplate => self.broken_template(),
            Kind::StaticAdd => self.static_add(),
            Kind::StaticEdit => self.static_edit(),
            Kind::StaticDelete => self.static_delete(),
            Kind::Image => self.image(),
            Kind::Touch => self.touch(),
            Kind::Checkout => self.checkout(),
            Kind::Repair => self.repair(),
            Kind::RepairAll => self.repair_all(),
        };
        let prior = std::mem::take(&mut self.prior);
        let what = what?;
        *self.kinds.entry(kind).or_default() += 1;
        if !prior.is_empty() {
            self.history.push((what.clone(), prior));
        }
        Some(format!("{kind:?}: {what}"))
    }

    fn append_paragraph(&mut self) -> Option<String> {
        let (rel, mut doc) = self.pick_doc(|_, _| true)?;
        let mut para = self.rng.sentence();
        let footnote = self.rng.one_in(4);
        if footnote {
            let n = self.serial();
            let note = self.rng.sentence();
            write!(para, "[^n{n}]\n\n[^n{n}]: {note}").unwrap();
        }
        doc.push_paragraph(&para);
        self.write(&rel, doc.text());
        let with = if footnote { " with a footnote" } else { "" };
        Some(format!("append a paragraph{with} to {rel}"))
    }

    fn change_word(&mut self) -> Option<String> {
        let (rel, mut doc) = self.pick_doc(|_, _| true)?;
        // Whole ASCII words of 4 letters or more between spaces and punctuation, outside code
        // blocks and tables (never inside a link target).
        let mut words = Vec::new();
        let mut fence = false;
        let mut at = 0;
        for line in doc.body.split_inclusive('\n') {
            if line.starts_with("```") {
                fence = !fence;
            } else if !fence && !line.starts_with('|') {
                let b = line.as_bytes();
                let mut i = 0;
                while i < b.len() {
                    if !b[i].is_ascii_alphabetic() {
                        i += 1;
                        continue;
                    }
                    let s = i;
                    while i < b.len() && b[i].is_ascii_alphabetic() {
                        i += 1;
                    }
                    let before = s == 0 || b[s - 1] == b' ';
                    let after = i == b.len() || matches!(b[i], b' ' | b',' | b';' | b'\n');
                    if before && after && i - s >= 4 {
                        words.push((at + s, at + i));
                    }
                }
            }
            at += line.len();
        }
        if words.is_empty() {
            return None;
        }
        let (s, e) = *self.rng.pick(&words);
        let old = doc.body[s..e].to_string();
        let mut new = old.clone();
        while new.eq_ignore_ascii_case(&old) {
            new = self.rng.pick(&WORDS).to_string();
        }
        if old.starts_with(|c: char| c.is_ascii_uppercase()) {
            new = capitalize(&new);
        }
        doc.body.replace_range(s..e, &new);
        self.write(&rel, doc.text());
        Some(format!("change `{old}` to `{new}` in {rel}"))
    }

    fn add_heading(&mut self) -> Option<String> {
        let (rel, mut doc) = self.pick_doc(|_, _| true)?;
        let n = self.serial();
        let level = "#".repeat(2 + self.rng.below(2));
        let words = 1 + self.rng.below(3);
        let title = self.rng.title(words);
        let explicit = self.rng.one_in(2);
        let id = if explicit {
            format!(" {{#added-{n}}}")
        } else {
            String::new()
        };
        let block = format!("{level} {title} {n}{id}\n\n{}\n\n", self.rng.sentence());
        let headings = doc.headings();
        let place = if !headings.is_empty() && self.rng.one_in(2) {
            let start = self.rng.pick(&headings).0;
            doc.body.insert_str(start, &block);
            "before a heading"
        } else {
            doc.push_paragraph(block.trim_end());
            "at the end"
        };
        self.write(&rel, doc.text());
        let how = if explicit { "with an id" } else { "" };
        Some(format!("add a heading {how} {place} of {rel}"))
    }

    fn remove_heading(&mut self) -> Option<String> {
        let (rel, mut doc) = self.pick_doc(|_, d| !d.headings().is_empty())?;
        let headings = doc.headings();
        let (s, e, line) = self.rng.pick(&headings).clone();
        doc.body.replace_range(s..e, "");
        self.write(&rel, doc.text());
        Some(format!("remove `{line}` from {rel}"))
    }

    fn link_document(&mut self) -> Option<String> {
        let docs = self.docs_but_home();
        let (rel, mut doc) = self.pick_doc(|_, _| true)?;
        let targets: Vec<&String> = docs.iter().filter(|d| **d != rel).collect();
        let target = self.rng.choose(&targets)?.clone();
        let text = self.rng.title(2);
        doc.push_paragraph(&format!("See also [{text}]({}).", link_from(&rel, &target)));
        self.write(&rel, doc.text());
        Some(format!("link {rel} to {target}"))
    }

    fn link_anchor(&mut self) -> Option<String> {
        let (target, tdoc) =
            self.pick_doc(|rel, d| rel != "index.md" && !d.anchors().is_empty())?;
        let (rel, mut doc) = self.pick_doc(|r, _| r != target)?;
        let anchors = tdoc.anchors();
        let anchor = if self.rng.one_in(6) {
            "no-such-section".to_string()
        } else {
            self.rng.pick(&anchors).clone()
        };
        let text = self.rng.title(2);
        doc.push_paragraph(&format!(
            "Read [{text}]({}#{anchor}).",
            link_from(&rel, &target)
        ));
        self.write(&rel, doc.text());
        Some(format!("link {rel} to {target}#{anchor}"))
    }

    fn code_block(&mut self) -> Option<String> {
        let (rel, mut doc) = self.pick_doc(|_, _| true)?;
        let lang = *self
            .rng
            .pick(&["rust", "yaml", "python", "text", "", "no-such-language"]);
        let word = self.rng.pick(&WORDS);
        let code = match lang {
            "rust" => format!("fn main() {{\n    let {word} = \"<{word} & co>\";\n}}"),
            "yaml" => format!("{word}: [a, b]\ncount: 3 # a comment"),
            "python" => format!("def {word}():\n    return \"<{word}>\" if 1 < 2 else None"),
            _ => format!("{word} <b>&amp; {word}"),
        };
        doc.push_paragraph(&format!("```{lang}\n{code}\n```"));
        self.write(&rel, doc.text());
        Some(format!("add a `{lang}` code block to {rel}"))
    }

    fn component(&mut self) -> Option<String> {
        let (rel, mut doc) = self.pick_doc(|_, _| true)?;
        let word = *self.rng.pick(&WORDS);
        let statics = self.files("static");
        let regions: Vec<String> = self
            .files("regions")
            .iter()
            .map(|r| stem(r).to_string())
            .collect();
        let (what, block) = match self.rng.below(8) {
            0 | 1 => {
                let region = match self.rng.choose(&regions) {
                    Some(r) if !self.rng.one_in(4) => r,
                    _ => "national".to_string(),
                };
                (
                    format!("{{figures}} of {region}"),
                    format!("```{{figures}}\nregion: {region}\n```"),
                )
            }
            2 | 3 => {
                let file = self.rng.choose(&statics)?;
                let path = file.trim_start_matches("static/");
                (
                    format!("{{download}} of {path}"),
                    format!("```{{download}}\nfile: /{path}\nlabel: Get the {word}\n```"),
                )
            }
            4 => {
                let docs = self.docs();
                let target = self.rng.choose(&docs)?;
                (
                    "{details} with a link".to_string(),
                    format!(
                        "```{{details}}\nsummary: About {word}\n\nSee [{word}]({}).\n```",
                        link_from(&rel, &target)
                    ),
                )
            }
            5 => (
                "an alert and a quote".to_string(),
                format!("> [!TIP]\n> {word}\n\n```{{quote}}\nby: {word}\n\nA {word}.\n```"),
            ),
            6 => (
                "raw HTML with a script".to_string(),
                format!(
                    "<div class=\"{word}\"><script>alert(1)</script><b onclick=\"x()\">{word}</b></div>"
                ),
            ),
            _ => (
                "a {figure} with a misspelt argument (invalid)".to_string(),
                format!("```{{figure}}\nsrc: /x.png\nalt: {word}\ncaptoin: x\n```"),
            ),
        };
        doc.push_paragraph(&block);
        self.write(&rel, doc.text());
        Some(format!("add {what} to {rel}"))
    }

    fn broken_link(&mut self) -> Option<String> {
        let (rel, mut doc) = self.pick_doc(|_, _| true)?;
        let n = self.serial();
        let target = format!("stories/no-such-story-{n}.md");
        doc.push_paragraph(&format!("A [broken link]({}).", link_from(&rel, &target)));
        self.write(&rel, doc.text());
        Some(format!("link {rel} to the missing {target} (invalid)"))
    }

    /// A link to another document by its root-relative URL (as copied from the address bar), in
    /// one of its forms; one in four has a typo. The output link check follows the target's
    /// URL through renames, slugs, drafts and base URL changes.
    fn url_link(&mut self) -> Option<String> {
        let docs = self.docs_but_home();
        let (rel, mut doc) = self.pick_doc(|_, _| true)?;
        let target = self.rng.choose(&docs)?;
        let slug = Doc::parse(&self.read(&target)?)?.slug(&target);
        let coll = collection(&target);
        let mut path = if coll == "pages" {
            format!("/{slug}")
        } else {
            format!("/{coll}/{slug}")
        };
        let broken = self.rng.one_in(4);
        if broken {
            path.push_str("-typo");
        }
        let url = match self.rng.below(3) {
            0 => format!("{path}/"),
            1 => format!("{path}/index.html"),
            _ => path,
        };
        let text = self.rng.title(2);
        doc.push_paragraph(&format!("Go to [{text}]({url})."));
        self.write(&rel, doc.text());
        let note = if broken { " (invalid)" } else { "" };
        Some(format!("link {rel} to the URL {url}{note}"))
    }

    fn title(&mut self) -> Option<String> {
        let (rel, mut doc) = self.pick_doc(|_, _| true)?;
        let words = 2 + self.rng.below(4);
        let title = if self.rng.one_in(4) {
            format!("\"{}: {}\"", self.rng.title(2), self.rng.words(words))
        } else {
            self.rng.title(words)
        };
        doc.fm.set("title", &title);
        self.write(&rel, doc.text());
        Some(format!("retitle {rel} {title}"))
    }

    fn date(&mut self) -> Option<String> {
        let mut colls = DATED_COLLECTIONS.to_vec();
        colls.push("research");
        let (rel, mut doc) = self.pick_doc(Self::in_collections(&colls))?;
        let (key, value) = if collection(&rel) == "research" {
            ("year", self.rng.range(1995, 2023).to_string())
        } else if self.rng.one_in(4) {
            ("updated", self.rng.date(2015, 2024))
        } else if self.rng.one_in(8) {
            ("date", self.rng.date(2025, 2030))
        } else {
            ("date", self.rng.date(2000, 2023))
        };
        doc.fm.set(key, &value);
        self.write(&rel, doc.text());
        Some(format!("set {key}: {value} in {rel}"))
    }

    fn summary(&mut self) -> Option<String> {
        let (rel, mut doc) = self.pick_doc(|_, _| true)?;
        let long = self.rng.one_in(6);
        let mut summary = self.rng.sentence();
        while long && summary.len() <= 320 {
            summary.push(' ');
            summary.push_str(&self.rng.sentence());
        }
        // QA Q71: a summary in markdown, with a link to another document (rendered in the
        // lede, resolved like the body's links).
        let docs = self.docs();
        let marked = !long && self.rng.one_in(3);
        if marked && let Some(target) = self.rng.choose(&docs) {
            summary.push_str(&format!(" See *[this]({})*.", link_from(&rel, &target)));
        }
        doc.fm.set("summary", &summary);
        self.write(&rel, doc.text());
        let long = if long {
            "a long summary"
        } else if marked {
            "the summary (markdown with a link)"
        } else {
            "the summary"
        };
        Some(format!("change {long} of {rel}"))
    }

    fn add_topic(&mut self) -> Option<String> {
        // Not a translation: it is listed under its original's terms, and may not change them.
        let (rel, mut doc) = self.pick_doc(|rel, d| {
            TOPIC_COLLECTIONS.contains(&collection(rel))
                && !Sim::is_translation(rel)
                && (d.fm.get("topics").is_none() || d.fm.list("topics").is_some())
        })?;
        let mut topics = doc.fm.list("topics").unwrap_or_default();
        let free: Vec<&str> = TOPICS
            .iter()
            .copied()
            .filter(|t| !topics.iter().any(|x| x == t))
            .collect();
        if free.is_empty() {
            return None;
        }
        let topic = self.rng.pick(&free).to_string();
        topics.push(topic.clone());
        doc.fm.set_list("topics", &topics);
        self.write(&rel, doc.text());
        Some(format!("add topic {topic} to {rel}"))
    }

    fn remove_topic(&mut self) -> Option<String> {
        let (rel, mut doc) = self.pick_doc(|rel, d| {
            !Sim::is_translation(rel) && d.fm.list("topics").is_some_and(|t| !t.is_empty())
        })?;
        let mut topics = doc.fm.list("topics").unwrap();
        let topic = topics.remove(self.rng.below(topics.len()));
        if topics.is_empty() {
            doc.fm.remove("topics");
        } else {
            doc.fm.set_list("topics", &topics);
        }
        self.write(&rel, doc.text());
        Some(format!("remove topic {topic} from {rel}"))
    }

    fn draft(&mut self) -> Option<String> {
        let (rel, doc) = self.pick_doc(|rel, _| rel != "index.md")?;
        self.toggle(&rel, doc, "draft", "make a draft of", "publish")
    }

    fn featured(&mut self) -> Option<String> {
        let (rel, doc) = self.pick_doc(Self::in_collections(&["stories"]))?;
        self.toggle(&rel, doc, "featured", "feature", "unfeature")
    }

    /// Flip the flag `key: true` of `doc`: set it when it is not there (`set` says so), remove it
    /// when it is (`unset`).
    fn toggle(
        &mut self,
        rel: &str,
        mut doc: Doc,
        key: &str,
        set: &str,
        unset: &str,
    ) -> Option<String> {
        let what = if doc.fm.remove(key) {
            unset
        } else {
            doc.fm.set(key, "true");
            set
        };
        self.write(rel, doc.text());
        Some(format!("{what} {rel}"))
    }

    fn region_figures(&mut self) -> Option<String> {
        let (rel, mut doc) = self.pick_doc(Self::in_collections(&["regions"]))?;
        let what = match self.rng.below(5) {
            0 => {
                let members = self.rng.range(50_000, 5_000_000);
                doc.fm.set("members", &members.to_string());
                format!("members: {members}")
            }
            1 => {
                let n = self.rng.range(1, 300);
                doc.fm.set("medical_offices", &n.to_string());
                format!("medical_offices: {n}")
            }
            2 => {
                let n = self.rng.range(0, 40);
                doc.fm.set("hospitals", &n.to_string());
                format!("hospitals: {n}")
            }
            3 => {
                let ubts = self.rng.range(10, 900);
                let (hp, invalid) = if self.rng.one_in(5) {
                    (ubts + 3, " (invalid)")
                } else {
                    (self.rng.range(0, ubts), "")
                };
                doc.fm.set("ubts", &ubts.to_string());
                doc.fm.set("high_performing_ubts", &hp.to_string());
                format!("ubts: {ubts}, high_performing_ubts: {hp}{invalid}")
            }
            _ => {
                let d = self.rng.date(2015, 2024);
                doc.fm.set("as_of", &d);
                format!("as_of: {d}")
            }
        };
        self.write(&rel, doc.text());
        Some(format!("set {what} in {rel}"))
    }

    fn alias(&mut self) -> Option<String> {
        let (rel, mut doc) = self.pick_doc(|rel, d| {
            rel != "index.md" && (d.fm.get("aliases").is_none() || d.fm.list("aliases").is_some())
        })?;
        let mut aliases = doc.fm.list("aliases").unwrap_or_default();
        let what = if !aliases.is_empty() && self.rng.one_in(2) {
            doc.fm.remove("aliases");
            "remove the aliases of".to_string()
        } else {
            let alias = if self.rng.one_in(8) {
                "/stories/".to_string()
            } else {
                format!("/old/{}-{}/", stem(&rel), self.serial())
            };
            aliases.push(alias.clone());
            doc.fm.set_list("aliases", &aliases);
            format!("add alias {alias} to")
        };
        self.write(&rel, doc.text());
        Some(format!("{what} {rel}"))
    }

    fn weight(&mut self) -> Option<String> {
        let (rel, mut doc) = self.pick_doc(|rel, _| rel != "index.md")?;
        let what = if doc.fm.get("weight").is_some() && self.rng.one_in(3) {
            doc.fm.remove("weight");
            "remove the weight of".to_string()
        } else {
            let w = self.rng.range(1, 5);
            doc.fm.set("weight", &w.to_string());
            format!("set weight: {w} in")
        };
        self.write(&rel, doc.text());
        Some(format!("{what} {rel}"))
    }

    /// A new `slug:` (or none): the URL changes while the file stays, so every document linking
    /// to it must render the new URL although its own text did not change.
    fn slug(&mut self) -> Option<String> {
        let (rel, mut doc) = self.pick_doc(|rel, _| {
            matches!(
                collection(rel),
                "stories" | "guides" | "practices" | "tools"
            )
        })?;
        let what = if doc.fm.get("slug").is_some() && self.rng.one_in(2) {
            doc.fm.remove("slug");
            "remove the slug of".to_string()
        } else {
            let n = self.serial();
            let stem = rel.rsplit('/').next()?.trim_end_matches(".md");
            let slug = format!("{stem}-s{n}");
            doc.fm.set("slug", &slug);
            format!("set slug: {slug} in")
        };
        self.write(&rel, doc.text());
        Some(format!("{what} {rel}"))
    }

    fn unknown_topic(&mut self) -> Option<String> {
        let (rel, mut doc) = self.pick_doc(|rel, d| {
            TOPIC_COLLECTIONS.contains(&collection(rel))
                && (d.fm.get("topics").is_none() || d.fm.list("topics").is_some())
        })?;
        let mut topics = doc.fm.list("topics").unwrap_or_default();
        let topic = format!("{}x", self.rng.pick(&TOPICS));
        topics.push(topic.clone());
        doc.fm.set_list("topics", &topics);
        self.write(&rel, doc.text());
        Some(format!("add the unknown topic {topic} to {rel} (invalid)"))
    }

    fn broken_yaml(&mut self) -> Option<String> {
        let (rel, mut doc) = self.pick_doc(|_, _| true)?;
        let (what, text) = match self.rng.below(3) {
            0 => {
                doc.fm.set("title", "\"an unterminated string");
                ("an unterminated string", doc.text())
            }
            1 => {
                let text = format!("---\n{}{}", doc.fm.text(), doc.body);
                ("no closing ---", text)
            }
            _ => {
                doc.fm.0.push("topics_and: [unclosed".to_string());
                ("an unclosed list", doc.text())
            }
        };
        self.write(&rel, text);
        Some(format!("break the front matter of {rel}: {what} (invalid)"))
    }

    fn unknown_field(&mut self) -> Option<String> {
        let (rel, mut doc) = self.pick_doc(|_, _| true)?;
        let (key, value) = *self.rng.pick(&[
            ("titel", "A typo"),
            ("sumary", "A typo"),
            ("colour", "blue"),
        ]);
        doc.fm.set(key, value);
        self.write(&rel, doc.text());
        Some(format!("add the unknown field `{key}` to {rel} (invalid)"))
    }

    fn create(&mut self) -> Option<String> {
        let coll = *self.rng.pick(&COLLECTIONS);
        let (src, mut doc) = self.pick_doc(Self::in_collections(&[coll]))?;
        for key in [
            "aliases",
            "slug",
            "menu",
            "draft",
            "featured",
            "weight",
            "publish_date",
            "expiry_date",
        ] {
            doc.fm.remove(key);
        }
        let n = self.serial();
        let words = 2 + self.rng.below(3);
        let title = self.rng.title(words);
        doc.fm.set("title", &format!("{title} {n}"));
        let duplicate = self.rng.one_in(8);
        if duplicate {
            doc.fm
                .set("slug", &Doc::parse(&self.read(&src)?)?.slug(&src));
        }
        let rel = format!("{coll}/added-{n}-{}.md", self.rng.pick(&WORDS));
        doc.body = format!("{}\n", self.rng.sentence());
        if self.rng.one_in(2) {
            let h = self.rng.title(2);
            doc.push_paragraph(&format!("## {h} {{#part-{n}}}\n\n{}", self.rng.sentence()));
        }
        if self.rng.one_in(2) {
            let docs = self.docs_but_home();
            if let Some(target) = self.rng.choose(&docs) {
                doc.push_paragraph(&format!(
                    "Related: [{}]({}).",
                    stem(&target),
                    link_from(&rel, &target)
                ));
            }
        }
        self.write(&rel, doc.text());
        let dup = if duplicate {
            format!(" with the slug of {src} (invalid)")
        } else {
            String::new()
        };
        Some(format!("create {rel} from {src}{dup}"))
    }

    /// A document's Spanish translation: `x.md` → `x.es.md`.
    fn translation_of(rel: &str) -> String {
        format!("{}.es.md", rel.strip_suffix(".md").unwrap_or(rel))
    }

    fn is_translation(rel: &str) -> bool {
        rel.ends_with(".es.md")
    }

    fn translate(&mut self) -> Option<String> {
        let (rel, doc) =
            self.pick_doc(|rel, _| !Sim::is_translation(rel) && !stem(rel).contains('.'))?;
        let to = Sim::translation_of(&rel);
        if self.exists(&to) {
            return None;
        }
        let n = self.serial();
        let title = self.rng.title(2);
        let mut fm = Lines::parse("");
        fm.set("title", &format!("{title} {n} (es)"));
        if doc.fm.get("summary").is_some() {
            fm.set("summary", &self.rng.sentence());
        }
        let own_slug = self.rng.one_in(4);
        if own_slug {
            fm.set("slug", &format!("traduccion-{n}"));
        }
        if doc.fm.get("image").is_some() && self.rng.one_in(2) {
            fm.set("image_alt", &self.rng.sentence());
        }
        let mut t = Doc {
            fm,
            body: format!(
                "{}
",
                self.rng.sentence()
            ),
        };
        if self.rng.one_in(2) {
            let docs: Vec<String> = self
                .docs()
                .into_iter()
                .filter(|d| d != "index.md" && !Sim::is_translation(d))
                .collect();
            if let Some(target) = self.rng.choose(&docs) {
                t.push_paragraph(&format!(
                    "Vea [{}]({}).",
                    stem(&target),
                    link_from(&to, &target)
                ));
            }
        }
        self.write(&to, t.text());
        let how = if own_slug { " with its own slug" } else { "" };
        Some(format!("translate {rel} to {to}{how}"))
    }

    fn edit_translation(&mut self) -> Option<String> {
        let (rel, mut doc) = self.pick_doc(|rel, _| Sim::is_translation(rel))?;
        let what = match self.rng.below(3) {
            0 => {
                let n = self.serial();
                let title = self.rng.title(3);
                doc.fm.set("title", &format!("{title} {n}"));
                "its title"
            }
            1 => {
                if doc.fm.remove("slug") {
                    "without its own slug"
                } else {
                    let n = self.serial();
                    doc.fm.set("slug", &format!("propia-{n}"));
                    "with its own slug"
                }
            }
            _ => {
                let date = self.rng.date(2000, 2020);
                doc.fm.set("date", &date);
                "a date (invalid unless the original's)"
            }
        };
        self.write(&rel, doc.text());
        Some(format!("edit {rel}: {what}"))
    }

    fn translation_component(&mut self) -> Option<String> {
        let (rel, mut doc) = self.pick_doc(|rel, _| Sim::is_translation(rel))?;
        let word = *self.rng.pick(&WORDS);
        let originals: Vec<String> = self
            .docs()
            .into_iter()
            .filter(|d| d != "index.md" && !Sim::is_translation(d))
            .collect();
        let (what, block) = match self.rng.below(5) {
            0 => {
                let regions: Vec<String> = self
                    .files("regions")
                    .iter()
                    .filter(|r| !Sim::is_translation(r))
                    .map(|r| stem(r).to_string())
                    .collect();
                let region = match self.rng.choose(&regions) {
                    Some(r) if !self.rng.one_in(3) => r,
                    _ => "national".to_string(),
                };
                (
                    format!("{{figures}} of {region}"),
                    format!("```{{figures}}\nregion: {region}\n```"),
                )
            }
            1 => {
                let statics = self.files("static");
                let file = self.rng.choose(&statics)?;
                let path = file.trim_start_matches("static/");
                (
                    format!("{{download}} of {path}"),
                    format!("```{{download}}\nfile: /{path}\nlabel: Descargue {word}\n```"),
                )
            }
            2 => {
                // A link to an original, as translators write it: to a translated one when there
                // is one.
                let translated: Vec<String> = originals
                    .iter()
                    .filter(|d| self.exists(&Sim::translation_of(d)))
                    .cloned()
                    .collect();
                let pool = if self.rng.one_in(2) && !translated.is_empty() {
                    &translated
                } else {
                    &originals
                };
                let target = self.rng.choose(pool)?;
                let link = link_from(&rel, &target);
                // Session 24: the English page on purpose (`x.en.md`), which stays English when
                // a translation of it is added.
                let link = match self.rng.one_in(3) {
                    true => format!("{}.en.md", link.strip_suffix(".md").unwrap_or(&link)),
                    false => link,
                };
                (
                    format!("a link to {target} ({link})"),
                    format!("Vea [{word}]({link})."),
                )
            }
            3 => {
                let target = self.rng.choose(&originals)?;
                (
                    "{details} with a link".to_string(),
                    format!(
                        "```{{details}}\nsummary: Sobre {word}\n\nVea [{word}]({}).\n```",
                        link_from(&rel, &target)
                    ),
                )
            }
            _ => (
                "an alert and a quote".to_string(),
                format!("> [!WARNING]\n> {word}\n\n```{{quote}}\nby: {word}\n\nUna {word}.\n```"),
            ),
        };
        doc.push_paragraph(&block);
        self.write(&rel, doc.text());
        Some(format!("add {what} to the translation {rel}"))
    }

    fn untranslate(&mut self) -> Option<String> {
        let found: Vec<String> = self
            .docs()
            .into_iter()
            .filter(|d| Sim::is_translation(d))
            .collect();
        let rel = self.rng.choose(&found)?;
        self.remove(&rel);
        Some(format!("delete the translation {rel}"))
    }

    fn delete(&mut self) -> Option<String> {
        let with_home = self.rng.one_in(10);
        let docs: Vec<String> = self
            .docs()
            .into_iter()
            .filter(|d| with_home || d != "index.md")
            .collect();
        if docs.is_empty() {
            return None;
        }
        let rel = self.rng.pick(&docs).clone();
        self.remove(&rel);
        Some(format!("delete {rel}"))
    }

    fn rename_doc(&mut self) -> Option<String> {
        let docs = self.docs_but_home();
        if docs.is_empty() {
            return None;
        }
        let rel = self.rng.pick(&docs).clone();
        let n = self.serial();
        let folder = if self.rng.one_in(6) {
            *self.rng.pick(&COLLECTIONS)
        } else {
            collection(&rel)
        };
        let to = format!("{folder}/{}-r{n}.md", stem(&rel));
        self.rename(&rel, &to);
        Some(format!("rename {rel} to {to}"))
    }

    /// Rename a document that no front matter refers to by slug, and fix every link to it.
    fn rename_fix_links(&mut self) -> Option<String> {
        let docs = self.docs();
        let fronts: Vec<(String, String)> = docs
            .iter()
            .filter_map(|d| Some((d.clone(), Doc::parse(&self.read(d)?)?.fm.text())))
            .collect();
        let (rel, _) = self.pick_doc(|rel, d| {
            let slug = d.slug(rel);
            // A translation (`x.es.md`) moves with its original, not on its own.
            let base = rel.strip_suffix(".md").unwrap_or(rel);
            rel != "index.md"
                && !stem(rel).contains('.')
                // A document with its own `slug:` keeps its address when its file is renamed,
                // so the output would not change (an earlier Slug step may have given it one).
                && d.fm.get("slug").is_none()
                // A document with a translation is not renamed: its translation would lose it.
                && !docs.iter().any(|o| o != rel && o.starts_with(&format!("{base}.")))
                && !fronts.iter().any(|(other, fm)| {
                    other != rel
                        && fm
                            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                            .any(|w| w == slug)
                })
        })?;
        let n = self.serial();
        let to = format!("{}/{}-m{n}.md", collection(&rel), stem(&rel));
        self.rename(&rel, &to);
        let mut fixed = 0;
        for d in self.docs() {
            let Some(text) = self.read(&d) else { continue };
            let new = rewrite_links(&text, &d, &rel, &to);
            if new != text {
                self.write(&d, new);
                fixed += 1;
            }
        }
        Some(format!(
            "rename {rel} to {to} and fix the links of {fixed} documents"
        ))
    }

    fn stray_file(&mut self) -> Option<String> {
        let strays: Vec<String> = self
            .files("")
            .into_iter()
            .filter(|r| {
                !is_doc(r)
                    && r != "config.yaml"
                    && !r.starts_with("static/")
                    && !r.starts_with("templates/")
            })
            .collect();
        let n = self.serial();
        let choice = self.rng.below(5);
        if choice == 0 && !strays.is_empty() {
            let rel = self.rng.pick(&strays).clone();
            self.remove(&rel);
            return Some(format!("delete the stray file {rel}"));
        }
        let (rel, text, what) = match choice {
            1 => (
                format!("stray-{n}.md"),
                "---\ntitle: Stray\n---\nNot in a collection.\n".to_string(),
                "a markdown file outside the collections",
            ),
            2 => (
                format!("storys/added-{n}.md"),
                "---\ntitle: Typo\n---\nA folder with a typo.\n".to_string(),
                "a document in an unknown collection folder (invalid)",
            ),
            _ => (
                format!("{}/notes-{n}.txt", self.rng.pick(&COLLECTIONS)),
                format!("{}\n", self.rng.sentence()),
                "a text file in a collection folder",
            ),
        };
        self.write(&rel, text);
        Some(format!("add {what}: {rel}"))
    }

    fn untranslated(&mut self) -> Option<String> {
        let mut cfg = Lines::parse(&self.read("config.yaml")?);
        let i = (0..cfg.0.len()).find(|&i| cfg.0[i].trim_start().starts_with("untranslated:"))?;
        let value = if cfg.0[i].contains("show") {
            "hide"
        } else {
            "show"
        };
        let indent = cfg.0[i].len() - cfg.0[i].trim_start().len();
        cfg.0[i] = format!("{}untranslated: {value}", " ".repeat(indent));
        self.write("config.yaml", cfg.text());
        Some(format!("config.yaml: untranslated: {value}"))
    }

    fn config(&mut self) -> Option<String> {
        let mut cfg = Lines::parse(&self.read("config.yaml")?);
        let what = match self.rng.below(7) {
            6 => {
                // Every URL changes: links in unchanged bodies must follow.
                // A non-ASCII path too: it is percent-encoded at config load (`/caf%C3%A9/`).
                let url = if cfg.0.iter().any(|l| l.contains("example.org/lmp/")) {
                    "https://example.org/café/"
                } else if cfg.0.iter().any(|l| l.contains("example.org/café/")) {
                    "https://www.lmpartnership.org/"
                } else {
                    "https://example.org/lmp/"
                };
                cfg.set("base_url", url);
                format!("base_url: {url}")
            }
            0 => {
                let t = self.rng.title(3);
                cfg.set("title", &t);
                format!("title: {t}")
            }
            1 => {
                let d = self.rng.sentence();
                cfg.set("description", &d);
                "a new description".to_string()
            }
            2 => {
                let p = self.rng.range(2, 12);
                cfg.set("paginate", &p.to_string());
                format!("paginate: {p}")
            }
            3 => {
                let lines: Vec<usize> = (0..cfg.0.len())
                    .filter(|&i| cfg.0[i].contains("{slug: ") && cfg.0[i].contains(", name: "))
                    .collect();
                let i = self.rng.choose(&lines)?;
                let name = self.rng.title(2);
                let line = &cfg.0[i];
                let at = line.find(", name: ").unwrap();
                cfg.0[i] = format!("{}, name: {name}}}", &line[..at]);
                format!("rename a term: {}", cfg.0[i].trim())
            }
            4 => {
                let lines: Vec<usize> = (0..cfg.0.len())
                    .filter(|&i| cfg.0[i].contains("{name: ") && cfg.0[i].contains(", url:"))
                    .collect();
                let i = self.rng.choose(&lines)?;
                let name = self.rng.title(1);
                let line = &cfg.0[i];
                let (s, e) = (
                    line.find("{name: ").unwrap() + 7,
                    line.find(", url:").unwrap(),
                );
                cfg.0[i] = format!("{}{name}{}", &line[..s], &line[e..]);
                format!("rename a menu item: {}", cfg.0[i].trim())
            }
            _ => {
                if cfg.remove("collections") {
                    "remove the added story field".to_string()
                } else {
                    cfg.0.extend(
                        [
                            "collections:",
                            "  stories:",
                            "    fields:",
                            "      location: {type: string}",
                        ]
                        .map(String::from),
                    );
                    "add a field to stories".to_string()
                }
            }
        };
        self.write("config.yaml", cfg.text());
        Some(format!("config.yaml: {what}"))
    }

    fn broken_config(&mut self) -> Option<String> {
        let mut cfg = Lines::parse(&self.read("config.yaml")?);
        let what = match self.rng.below(4) {
            0 => {
                cfg.set("paginate", "ten");
                "paginate: ten"
            }
            1 => {
                cfg.set("titel", "A typo");
                "an unknown key"
            }
            2 => {
                cfg.0.push("menu_extra: [unclosed".to_string());
                "broken YAML"
            }
            _ => {
                cfg.remove("title");
                "no title"
            }
        };
        self.write("config.yaml", cfg.text());
        Some(format!("config.yaml: {what} (invalid)"))
    }

    /// The text a template override starts from: the override if there is one, else the theme's.
    fn template_source(&mut self) -> (String, String) {
        let (name, theme_text) = self.rng.pick(&self.theme_templates).clone();
        let rel = format!("templates/{name}");
        let text = self.read(&rel).unwrap_or(theme_text);
        (rel, text)
    }

    fn template_edit(&mut self) -> Option<String> {
        let n = self.serial();
        if self.rng.one_in(6) {
            let rel = format!("templates/extra-{n}.html");
            self.write(&rel, "<p>{{ page.title }} (an unused template)</p>\n");
            return Some(format!("add the unused template {rel}"));
        }
        let (rel, text) = self.template_source();
        let existed = self.exists(&rel);
        self.write(
            &rel,
            insert_in_template(&text, &format!("<!-- override {n} -->")),
        );
        let what = if existed { "edit" } else { "add" };
        Some(format!("{what} the template override {rel}"))
    }

    fn template_delete(&mut self) -> Option<String> {
        self.delete_one("templates", "template override")
    }

    /// Delete a random file under `folder` of the site (none there: no step).
    fn delete_one(&mut self, folder: &str, what: &str) -> Option<String> {
        let files = self.files(folder);
        if files.is_empty() {
            return None;
        }
        let rel = self.rng.pick(&files).clone();
        self.remove(&rel);
        Some(format!("delete the {what} {rel}"))
    }

    fn broken_template(&mut self) -> Option<String> {
        let (rel, text) = self.template_source();
        let (what, snippet) = *self.rng.pick(&[
            ("an unclosed if", "{% if page.title %}<p>unclosed</p>"),
            ("an unknown filter", "{{ page.title | no_such_filter }}"),
            (
                "a missing include",
                "{% include \"partials/no-such-partial.html\" %}",
            ),
        ]);
        self.write(&rel, insert_in_template(&text, snippet));
        Some(format!("put {what} in {rel} (invalid)"))
    }

    fn static_add(&mut self) -> Option<String> {
        let n = self.serial();
        let (rel, bytes): (String, Vec<u8>) = match self.rng.below(4) {
            0 => (
                format!("static/files/added-{n}.txt"),
                format!("{}\n", self.rng.sentence()).into_bytes(),
            ),
            1 => (
                format!("static/css/extra-{n}.css"),
                format!("/* {n} */ .x{n} {{ color: red; }}\n").into_bytes(),
            ),
            2 => {
                let name = self.rng.pick(&self.theme_statics).clone();
                let theme = manifest_dir().join("themes/lmp/static").join(&name);
                let mut bytes = std::fs::read(theme).unwrap();
                bytes.extend_from_slice(format!("\n/* site override {n} */\n").as_bytes());
                (format!("static/{name}"), bytes)
            }
            _ => (
                format!("static/files/blob-{n}.bin"),
                (0..64).map(|_| self.rng.next() as u8).collect(),
            ),
        };
        let what = if self.exists(&rel) { "replace" } else { "add" };
        self.write(&rel, bytes);
        Some(format!("{what} the static file {rel}"))
    }

    fn static_edit(&mut self) -> Option<String> {
        let files = self.files("static");
        if files.is_empty() {
            return None;
        }
        let rel = self.rng.pick(&files).clone();
        let n = self.serial();
        let (what, bytes) = if self.rng.one_in(4) {
            ("rewrite", format!("rewritten {n}\n").into_bytes())
        } else {
            let mut b = self.read_bytes(&rel)?;
            b.extend_from_slice(format!("\nedit {n}\n").as_bytes());
            ("append to", b)
        };
        self.write(&rel, bytes);
        Some(format!("{what} the static file {rel}"))
    }

    fn static_delete(&mut self) -> Option<String> {
        self.delete_one("static", "static file")
    }

    /// A small image with pixels that depend on `n` (PNG or JPEG).
    fn image_bytes(&mut self, n: usize, jpeg: bool) -> Vec<u8> {
        let (w, h) = (40 + (n % 7) as u32 * 8, 30 + (n % 5) as u32 * 6);
        let c = [(n * 37) as u8, (n * 91) as u8, (n * 13) as u8];
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([c[0].wrapping_add(x as u8), c[1].wrapping_add(y as u8), c[2]])
        });
        let mut out = Vec::new();
        if jpeg {
            img.write_with_encoder(image::codecs::jpeg::JpegEncoder::new(&mut out))
                .unwrap();
        } else {
            img.write_with_encoder(image::codecs::png::PngEncoder::new(&mut out))
                .unwrap();
        }
        out
    }

    fn image(&mut self) -> Option<String> {
        let n = self.serial();
        let images = self.files("static/images");
        match self.rng.below(3) {
            0 => {
                let jpeg = self.rng.one_in(2);
                let rel = format!(
                    "static/images/added-{n}.{}",
                    if jpeg { "jpg" } else { "png" }
                );
                let bytes = self.image_bytes(n, jpeg);
                self.write(&rel, bytes);
                let (doc_rel, mut doc) = self.pick_doc(|_, _| true)?;
                let src = rel.trim_start_matches("static");
                doc.push_paragraph(&format!("![Picture number {n}]({src} \"Caption {n}\")"));
                self.write(&doc_rel, doc.text());
                Some(format!("add the image {rel} and show it in {doc_rel}"))
            }
            1 if !images.is_empty() => {
                let rel = self.rng.pick(&images).clone();
                let bytes = self.image_bytes(n, rel.ends_with(".jpg"));
                self.write(&rel, bytes);
                Some(format!("replace the pixels of {rel}"))
            }
            _ => self.delete_one("static/images", "image"),
        }
    }

    fn touch(&mut self) -> Option<String> {
        let files = self.files("");
        let rel = self.rng.choose(&files)?;
        let bytes = self.read_bytes(&rel)?;
        self.write(&rel, bytes);
        Some(format!("touch {rel} (same bytes)"))
    }

    /// Make the site the sample site again in one step, as a `git checkout` would.
    fn checkout(&mut self) -> Option<String> {
        let pristine = manifest_dir().join("site");
        let want = walk(&pristine, "");
        let mut changed = 0;
        for rel in self.files("") {
            if !want.contains(&rel) {
                self.remove(&rel);
                changed += 1;
            }
        }
        for rel in &want {
            let bytes = std::fs::read(pristine.join(rel)).unwrap();
            if self.read_bytes(rel).as_ref() != Some(&bytes) {
                self.write(rel, bytes);
                changed += 1;
            }
        }
        Some(format!("check out the sample site ({changed} files)"))
    }

    fn undo(&mut self, prior: Prior) {
        for (rel, bytes) in prior.into_iter().rev() {
            self.put(&rel, bytes.as_deref());
        }
    }

    /// Undo the newest mutation since the last successful build.
    fn repair(&mut self) -> Option<String> {
        let (what, prior) = self.history.pop()?;
        self.undo(prior);
        Some(format!("undo \"{what}\""))
    }

    /// Undo every mutation since the last successful build.
    fn repair_all(&mut self) -> Option<String> {
        if self.history.is_empty() {
            return None;
        }
        let n = self.history.len();
        while let Some((_, prior)) = self.history.pop() {
            self.undo(prior);
        }
        Some(format!("undo the {n} mutations since the last good build"))
    }

    // ---- Steps.

    fn pick_kind(&mut self) -> Kind {
        let total: u32 = WEIGHTS.iter().map(|(_, w)| w).sum();
        let mut x = self.rng.below(total as usize) as u32;
        for (k, w) in WEIGHTS {
            if x < w {
                return k;
            }
            x -= w;
        }
        unreachable!()
    }

    /// Apply one random step's mutations (none for an empty step).
    fn random_mutations(&mut self) -> Vec<String> {
        if self.rng.one_in(25) {
            return Vec::new();
        }
        // A failed site is repaired soon, but may first take more edits (which the incremental
        // builder must track while it cannot build).
        if self.failing >= 3 {
            return self.mutate(Kind::RepairAll).into_iter().collect();
        }
        let mut done = Vec::new();
        if self.failing > 0 {
            match self.rng.below(3) {
                0 => return self.mutate(Kind::Repair).into_iter().collect(),
                1 => done.extend(self.mutate(Kind::Repair)),
                _ => {}
            }
        }
        let n = done.len()
            + match self.rng.below(10) {
                0..=4 => 1,
                5..=7 => 2,
                _ => 3,
            };
        let mut tries = 0;
        while done.len() < n && tries < 100 {
            tries += 1;
            let kind = self.pick_kind();
            done.extend(self.mutate(kind));
        }
        done
    }

    /// Rebuild incrementally with the touched paths, build in full, and compare. `Ok(true)` when
    /// both succeeded, `Ok(false)` when both failed alike.
    fn step(&mut self, what: &[String]) -> Result<bool, String> {
        let changed = std::mem::take(&mut self.touched);
        let inc = self.inc.rebuild(&self.opts, &changed);
        let full = lmp::build(&self.opts);
        let verdict = compare(&inc, &full);
        let outcome = match &full {
            Ok(b) => format!("ok, {} files, {} warnings", b.files.len(), b.warnings.len()),
            Err(f) => format!(
                "failed, {} diagnostics, first error: {}",
                f.diagnostics.len(),
                f.diagnostics
                    .iter()
                    .find(|d| d.is_error())
                    .map_or("(none)", |d| &d.message)
            ),
        };
        let rels: Vec<String> = changed
            .iter()
            .map(|p| match p.strip_prefix(&self.site) {
                Ok(r) => r.to_string_lossy().into_owned(),
                Err(_) => p.display().to_string(),
            })
            .collect();
        let what = if what.is_empty() {
            "(no change)".to_string()
        } else {
            what.join("; ")
        };
        self.log.push(format!(
            "step {}: {what}\n    changed: [{}]\n    -> {outcome}",
            self.steps,
            rels.join(", ")
        ));
        self.steps += 1;
        match full {
            Ok(b) => {
                self.history.clear();
                self.failing = 0;
                self.ok_steps += 1;
                self.last_files = Some(b.files);
            }
            Err(_) => {
                self.failing += 1;
                self.err_steps += 1;
            }
        }
        verdict.map(|()| self.failing == 0)
    }

    fn fail(&self, detail: &str) -> ! {
        let step = self.steps - 1;
        let replay = match self.seed {
            Some(seed) => format!(
                "seed {seed:#x}; replay: LMP_INC_SEED={seed:#x} LMP_INC_STEPS={step} \
                 cargo test --test testsuite incremental::random"
            ),
            None => "the scripted sequence".to_string(),
        };
        panic!(
            "the incremental rebuild differs from a full build at step {step} ({replay})\n\n\
             {detail}\n\nstep log:\n{}",
            self.log.join("\n")
        )
    }
}

fn render(diags: &[Diagnostic]) -> String {
    let text = diagnostics::render_all(diags, Format::Human);
    if text.is_empty() {
        "(none)\n".to_string()
    } else {
        text
    }
}

/// Up to `max` items, then how many more.
fn some<T: std::fmt::Display>(items: &[T], max: usize) -> String {
    let mut s = items
        .iter()
        .take(max)
        .map(|x| x.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > max {
        write!(s, " and {} more", items.len() - max).unwrap();
    }
    s
}

/// Where two outputs of one file first differ, with the text around it on both sides.
fn diff_context(path: &str, inc: &[u8], full: &[u8]) -> String {
    let at = inc
        .iter()
        .zip(full)
        .position(|(a, b)| a != b)
        .unwrap_or(inc.len().min(full.len()));
    let line = full[..at].iter().filter(|&&c| c == b'\n').count() + 1;
    let around = |b: &[u8]| {
        let (s, e) = (at.saturating_sub(200), (at + 200).min(b.len()));
        String::from_utf8_lossy(&b[s.min(e)..e]).into_owned()
    };
    format!(
        "first difference in {path} at byte {at} (line {line}); {} bytes incremental, {} bytes full\n\
         --- incremental, around it:\n{}\n--- full build, around it:\n{}",
        inc.len(),
        full.len(),
        around(inc),
        around(full)
    )
}

fn compare_built(inc: &Built, full: &Built) -> Result<(), String> {
    let mut problems = Vec::new();
    let only_inc: Vec<&String> = inc
        .files
        .keys()
        .filter(|k| !full.files.contains_key(*k))
        .collect();
    let only_full: Vec<&String> = full
        .files
        .keys()
        .filter(|k| !inc.files.contains_key(*k))
        .collect();
    // A file `serve` left on disk (a static file, a cached image) is compared by its bytes on
    // disk and by the digest the build recorded for it, so a stale reference is caught too.
    let bytes = |b: &Built, k: &str| -> Arc<Vec<u8>> {
        match b.read(k) {
            Some(Ok(v)) => v,
            Some(Err(e)) => Arc::new(format!("(unreadable: {e:#})").into_bytes()),
            None => Arc::new(Vec::new()),
        }
    };
    let stale = |b: &Built, k: &str, v: &[u8]| {
        b.disk
            .get(k)
            .is_some_and(|d| d.digest != xxhash_rust::xxh3::xxh3_128(v) || d.size != v.len() as u64)
    };
    let differ: Vec<&String> = inc
        .files
        .keys()
        .filter(|k| full.files.contains_key(*k))
        .filter(|k| {
            let (a, b) = (bytes(inc, k), bytes(full, k));
            a != b || stale(inc, k, &b) || stale(full, k, &b)
        })
        .collect();
    if !only_inc.is_empty() {
        problems.push(format!(
            "{} files only in the incremental build: {}",
            only_inc.len(),
            some(&only_inc, 10)
        ));
    }
    if !only_full.is_empty() {
        problems.push(format!(
            "{} files only in the full build: {}",
            only_full.len(),
            some(&only_full, 10)
        ));
    }
    if let Some(first) = differ.first() {
        problems.push(format!(
            "{} files differ: {}\n{}",
            differ.len(),
            some(&differ, 10),
            diff_context(first, &bytes(inc, first), &bytes(full, first))
        ));
    }
    if inc.warnings != full.warnings {
        problems.push(format!(
            "the warnings differ\n--- incremental:\n{}--- full build:\n{}",
            render(&inc.warnings),
            render(&full.warnings)
        ));
    }
    if inc.counts != full.counts || inc.pages != full.pages {
        problems.push(format!(
            "the counts differ: incremental {:?}, {} pages; full {:?}, {} pages",
            inc.counts, inc.pages, full.counts, full.pages
        ));
    }
    let sorted = |v: &[PathBuf]| {
        let mut v = v.to_vec();
        v.sort();
        v
    };
    if sorted(&inc.inputs) != sorted(&full.inputs) {
        problems.push(format!(
            "the watched inputs differ: incremental {:?}, full {:?}",
            inc.inputs, full.inputs
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "both builds succeeded, with different results:\n{}",
            problems.join("\n")
        ))
    }
}

/// `Ok` when the incremental result is the full build's: the same files, bytes, warnings and
/// counts, or the same diagnostics.
fn compare(inc: &Result<Built, Failed>, full: &Result<Built, Failed>) -> Result<(), String> {
    match (inc, full) {
        (Ok(a), Ok(b)) => compare_built(a, b),
        (Err(a), Err(b)) if a.diagnostics == b.diagnostics => Ok(()),
        (Err(a), Err(b)) => Err(format!(
            "both builds failed, with different diagnostics\n--- incremental:\n{}--- full build:\n{}\n\
             --- incremental (debug):\n{:#?}\n--- full build (debug):\n{:#?}",
            render(&a.diagnostics),
            render(&b.diagnostics),
            a.diagnostics,
            b.diagnostics
        )),
        (Ok(a), Err(b)) => Err(format!(
            "the incremental rebuild succeeded ({} files, warnings:\n{}) but the full build failed:\n{}",
            a.files.len(),
            render(&a.warnings),
            render(&b.diagnostics)
        )),
        (Err(a), Ok(b)) => Err(format!(
            "the incremental rebuild failed but the full build succeeded ({} files):\n{}",
            b.files.len(),
            render(&a.diagnostics)
        )),
    }
}

#[test]
fn random_edits_rebuild_like_full_builds() {
    let seed = env_number("LMP_INC_SEED").unwrap_or(DEFAULT_SEED);
    let steps = env_number("LMP_INC_STEPS").map_or(DEFAULT_STEPS, |n| n as usize);
    eprintln!(
        "incremental: seed {seed:#x}, {steps} steps (replay with LMP_INC_SEED={seed:#x} LMP_INC_STEPS={steps})"
    );
    let start = Instant::now();
    let mut sim = Sim::new(seed);
    // The first call builds everything.
    if let Err(e) = sim.step(&["first build".to_string()]) {
        sim.fail(&e);
    }
    for _ in 0..steps {
        let what = sim.random_mutations();
        if let Err(e) = sim.step(&what) {
            sim.fail(&e);
        }
    }
    eprintln!(
        "incremental: {} steps in {:.1} s: {} built, {} failed alike; mutations: {:?}",
        sim.steps,
        start.elapsed().as_secs_f64(),
        sim.ok_steps,
        sim.err_steps,
        sim.kinds
    );
    if std::env::var_os("LMP_INC_LOG").is_some() {
        eprintln!("{}", sim.log.join("\n"));
    }
    // A sequence that mostly fails, or never fails, tests little: at least 40% of the steps must
    // build and 5% fail.
    if steps >= 50 {
        assert!(
            sim.ok_steps * 5 >= sim.steps * 2 && sim.err_steps * 20 >= sim.steps,
            "seed {seed:#x}: {} of {} steps built and {} failed: the mutation mix needs a look\n{}",
            sim.ok_steps,
            sim.steps,
            sim.err_steps,
            sim.log.join("\n")
        );
    }
}

/// What a scripted step must give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Builds, and the output differs from the last good build's.
    Changed,
    /// Builds, and the output is the last good build's, byte for byte.
    Same,
    /// Builds.
    Builds,
    /// Fails.
    Fails,
    /// Either (the random choices inside decide); a failure is undone by an extra step.
    Any,
}

#[test]
fn every_kind_of_mutation_rebuilds_like_a_full_build() {
    use Expect::{Any, Builds, Changed, Fails, Same};
    use Kind as K;
    let script: &[(Option<Kind>, Expect)] = &[
        (Some(K::AppendParagraph), Changed),
        (Some(K::ChangeWord), Any),
        (Some(K::AddHeading), Changed),
        (Some(K::RemoveHeading), Any),
        (Some(K::LinkDocument), Changed),
        (Some(K::LinkAnchor), Any),
        (Some(K::CodeBlock), Changed),
        (Some(K::Component), Any),
        (Some(K::BrokenLink), Fails),
        (Some(K::Repair), Same),
        (Some(K::UrlLink), Any),
        (Some(K::Title), Changed),
        (Some(K::Date), Any),
        (Some(K::Summary), Changed),
        (Some(K::AddTopic), Changed),
        (Some(K::RemoveTopic), Any),
        (Some(K::Draft), Any),
        (Some(K::Featured), Builds),
        (Some(K::RegionFigures), Any),
        (Some(K::Alias), Any),
        (Some(K::Weight), Builds),
        (Some(K::Slug), Any),
        (Some(K::UnknownTopic), Fails),
        (Some(K::Repair), Same),
        (Some(K::BrokenYaml), Fails),
        (Some(K::Repair), Same),
        (Some(K::UnknownField), Fails),
        (Some(K::Repair), Same),
        (Some(K::Create), Any),
        (Some(K::Delete), Any),
        (Some(K::Rename), Any),
        (Some(K::RenameFixLinks), Changed),
        (Some(K::StrayFile), Any),
        (Some(K::Translate), Changed),
        (Some(K::TranslationComponent), Any),
        (Some(K::TranslationComponent), Any),
        (Some(K::TranslationComponent), Any),
        (Some(K::EditTranslation), Any),
        (Some(K::Untranslate), Any),
        (Some(K::Config), Changed),
        (Some(K::BrokenConfig), Fails),
        (Some(K::Repair), Same),
        (Some(K::TemplateEdit), Changed),
        (Some(K::TemplateDelete), Changed),
        (Some(K::BrokenTemplate), Fails),
        (Some(K::Repair), Same),
        (Some(K::StaticAdd), Changed),
        (Some(K::StaticEdit), Changed),
        (Some(K::StaticDelete), Any),
        (Some(K::Image), Any),
        (Some(K::Image), Any),
        (Some(K::Image), Any),
        (Some(K::Image), Any),
        (Some(K::Touch), Same),
        (None, Same),
        (Some(K::BrokenLink), Fails),
        (Some(K::BrokenConfig), Fails),
        (Some(K::RepairAll), Same),
        (Some(K::Checkout), Changed),
        // Last, so that the random choices of the steps above stay those they were written for
        // (StaticEdit rewrites a file that is not an image).
        (Some(K::Untranslated), Changed),
        (Some(K::Translate), Changed),
        (Some(K::Untranslate), Any),
        (Some(K::Translate), Changed),
        (Some(K::Untranslated), Changed),
    ];
    let scripted: Vec<Kind> = script.iter().filter_map(|(k, _)| *k).collect();
    for (kind, _) in WEIGHTS {
        assert!(scripted.contains(&kind), "the script does not run {kind:?}");
    }

    let mut sim = Sim::new(DEFAULT_SEED);
    sim.seed = None;
    if let Err(e) = sim.step(&["first build".to_string()]) {
        sim.fail(&e);
    }
    for &(kind, expect) in script {
        let before = sim.last_files.clone();
        let what: Vec<String> = match kind {
            Some(k) => {
                let what = sim.mutate(k);
                vec![what.unwrap_or_else(|| panic!("{k:?} did not apply\n{}", sim.log.join("\n")))]
            }
            None => Vec::new(),
        };
        let built = match sim.step(&what) {
            Ok(b) => b,
            Err(e) => sim.fail(&e),
        };
        let same = || sim.last_files == before;
        let good = match expect {
            Changed => built && !same(),
            Same => built && same(),
            Builds => built,
            Fails => !built,
            Any => true,
        };
        assert!(
            good,
            "step {} ({kind:?}) should be {expect:?}\n{}",
            sim.steps - 1,
            sim.log.join("\n")
        );
        if expect == Any && !built {
            let what: Vec<String> = sim.mutate(K::RepairAll).into_iter().collect();
            match sim.step(&what) {
                Ok(true) => {}
                Ok(false) => panic!("undoing did not repair\n{}", sim.log.join("\n")),
                Err(e) => sim.fail(&e),
            }
        }
    }
}

/// A copy of a build's results, to corrupt.
fn copy(b: &Built) -> Built {
    Built {
        files: b.files.clone(),
        warnings: b.warnings.clone(),
        counts: b.counts.clone(),
        left_out: b.left_out.clone(),
        pages: b.pages,
        timings: Vec::new(),
        peaks: Vec::new(),
        inputs: b.inputs.clone(),
        outbound: b.outbound.clone(),
        disk: b.disk.clone(),
    }
}

#[test]
fn the_comparison_catches_differences() {
    let dir = tempfile::tempdir().unwrap();
    let site_dir = dir.path().join("site");
    crate::harness::copy_dir(&crate::harness::fixtures().join("basic"), &site_dir);
    let mut opts = Options::new(&site_dir);
    opts.today = TODAY;
    let built = lmp::build(&opts).unwrap();
    assert!(compare(&Ok(copy(&built)), &Ok(copy(&built))).is_ok());

    // One byte of one page.
    let mut corrupt = copy(&built);
    let page = "stories/first-story/index.html".to_string();
    let mut bytes = corrupt.files[&page].as_ref().clone();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 1;
    corrupt.files.insert(page.clone(), Arc::new(bytes));
    let e = compare(&Ok(corrupt), &Ok(copy(&built))).unwrap_err();
    assert!(
        e.contains("1 files differ: stories/first-story/index.html") && e.contains("at byte"),
        "{e}"
    );

    // A missing and an extra file.
    let mut fewer = copy(&built);
    fewer.files.remove(&page);
    let e = compare(&Ok(copy(&built)), &Ok(fewer)).unwrap_err();
    assert!(
        e.contains("only in the incremental build: stories/first-story/index.html"),
        "{e}"
    );
    let mut more = copy(&built);
    more.files
        .insert("extra.html".into(), Arc::new(b"x".to_vec()));
    let e = compare(&Ok(copy(&built)), &Ok(more)).unwrap_err();
    assert!(e.contains("only in the full build: extra.html"), "{e}");

    // A warning, the counts, the watched inputs.
    let warning = Diagnostic::warning(site_dir.join("stories/a.md"), 1, 1, "a warning");
    let mut warned = copy(&built);
    warned.warnings.push(warning.clone());
    let e = compare(&Ok(warned), &Ok(copy(&built))).unwrap_err();
    assert!(
        e.contains("the warnings differ") && e.contains("a warning"),
        "{e}"
    );
    let mut counted = copy(&built);
    counted.pages += 1;
    assert!(compare(&Ok(counted), &Ok(copy(&built))).is_err());
    let mut watched = copy(&built);
    watched.inputs.push(PathBuf::from("elsewhere"));
    assert!(compare(&Ok(watched), &Ok(copy(&built))).is_err());

    // Failures: the same diagnostics agree, others do not; success never agrees with failure.
    let failed = |d: Vec<Diagnostic>| Err(Failed { diagnostics: d });
    let error = Diagnostic::error(site_dir.join("stories/a.md"), 2, 1, "an error");
    assert!(compare(&failed(vec![error.clone()]), &failed(vec![error.clone()])).is_ok());
    let mut moved = error.clone();
    moved.line = 3;
    let e = compare(&failed(vec![error.clone()]), &failed(vec![moved])).unwrap_err();
    assert!(e.contains("different diagnostics"), "{e}");
    assert!(
        compare(
            &failed(vec![error.clone(), warning]),
            &failed(vec![error.clone()])
        )
        .is_err()
    );
    assert!(compare(&Ok(copy(&built)), &failed(vec![error.clone()])).is_err());
    assert!(compare(&failed(vec![error]), &Ok(copy(&built))).is_err());
}

/// `serve` keeps its search index in its scratch file of pages, not in memory (at 100,000
/// documents the index is about 180 MB: issue 15, "memory grows with metadata"), and serves the
/// same bytes a fresh `lmp build` writes, after the first build and after an edit.
#[test]
fn serve_keeps_its_search_index_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let site_dir = dir.path().join("site");
    crate::harness::copy_dir(&crate::harness::fixtures().join("basic"), &site_dir);
    let mut opts = Options::new(&site_dir);
    opts.today = TODAY;
    let mut inc = Incremental::new(opts.clone());
    let check = |inc_built: &Built, step: &str| {
        let full = lmp::build(&opts).unwrap();
        let search: Vec<&String> = full
            .files
            .keys()
            .filter(|k| k.contains("search/index/"))
            .collect();
        assert!(
            search.len() > 3,
            "{step}: no search index in {:?}",
            full.files.keys()
        );
        for k in search {
            let kept = inc_built.disk.get(k);
            assert!(
                kept.is_some(),
                "{step}: /{k} is held in memory, not on disk"
            );
            let got = inc_built.read(k).unwrap().unwrap();
            assert_eq!(
                got, full.files[k],
                "{step}: /{k} differs from a fresh build"
            );
        }
    };
    let first = inc.rebuild(&opts, &[]).unwrap();
    check(&first, "first build");
    let story = site_dir.join("stories/first-story.md");
    let text = std::fs::read_to_string(&story).unwrap();
    std::fs::write(&story, format!("{text}\nA sentence about huddles.\n")).unwrap();
    let again = inc.rebuild(&opts, std::slice::from_ref(&story)).unwrap();
    check(&again, "after a body edit");
}

/// `lmp serve` keeps the content files' bodies on disk between builds (at 100,000 documents they
/// were 580 MB of its memory: issue 15), reads one back only where a rebuild needs it, and still
/// gives what a fresh build gives: after the first build, a body edit, and a slug change that
/// makes another document's markdown render again from its body on disk.
#[test]
fn serve_keeps_the_sources_bodies_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let site_dir = dir.path().join("site");
    crate::harness::copy_dir(&crate::harness::fixtures().join("basic"), &site_dir);
    let mut opts = Options::new(&site_dir);
    opts.today = TODAY;
    let mut inc = Incremental::new(opts.clone());
    let mut step = |changed: &[PathBuf], what: &str| -> Built {
        let built = inc.rebuild(&opts, changed).unwrap();
        let (in_memory, read) = inc.sources_in_memory();
        assert!(read > 10, "{what}: {read} documents read");
        assert_eq!(
            in_memory, 0,
            "{what}: {in_memory} of {read} texts in memory"
        );
        let full = lmp::build(&opts);
        if let Err(e) = compare(&Ok(copy(&built)), &full) {
            panic!("{what}: serve differs from a fresh build: {e}");
        }
        built
    };
    step(&[], "first build");
    let story = site_dir.join("stories/first-story.md");
    let text = std::fs::read_to_string(&story).unwrap();
    std::fs::write(&story, format!("{text}\nA sentence about huddles.\n")).unwrap();
    let built = step(std::slice::from_ref(&story), "after a body edit");
    let page = String::from_utf8(
        built
            .read("stories/first-story/index.html")
            .unwrap()
            .unwrap()
            .to_vec(),
    )
    .unwrap();
    assert!(page.contains("A sentence about huddles."), "{page}");
    // first-story.md links to second-story.md: its body is rendered again, read back from disk.
    let second = site_dir.join("stories/second-story.md");
    let text = std::fs::read_to_string(&second).unwrap();
    std::fs::write(
        &second,
        text.replacen("title:", "slug: second-tale\ntitle:", 1),
    )
    .unwrap();
    let built = step(std::slice::from_ref(&second), "after a slug change");
    let page = String::from_utf8(
        built
            .read("stories/first-story/index.html")
            .unwrap()
            .unwrap()
            .to_vec(),
    )
    .unwrap();
    assert!(page.contains("/stories/second-tale/"), "{page}");
    assert!(page.contains("A sentence about huddles."), "{page}");
}

/// Only a document a translation's file name names keeps its front matter values (what a
/// translation inherits; the others were ~120 MB at 100,000 documents). When `lmp serve` sees
/// the first translation of a document, it reads that document again for its values: the
/// translation inherits its original's date, topics and regions as in a fresh build. So it does
/// for an original named by `translation_of:` (read without its values: no file name names it),
/// whether the translation is new, or the original is edited.
#[test]
fn a_first_translation_of_a_document_inherits_in_serve_as_in_a_fresh_build() {
    let dir = tempfile::tempdir().unwrap();
    let site_dir = dir.path().join("site");
    crate::harness::copy_dir(&crate::harness::fixtures().join("basic"), &site_dir);
    let config = site_dir.join("config.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!("{text}languages:\n  en: {{name: English}}\n  es: {{name: Español}}\n"),
    )
    .unwrap();
    let mut opts = Options::new(&site_dir);
    opts.today = TODAY;
    let mut inc = Incremental::new(opts.clone());
    let first = inc.rebuild(&opts, &[]).unwrap();
    if let Err(e) = compare(&Ok(copy(&first)), &lmp::build(&opts)) {
        panic!("first build: serve differs from a fresh build: {e}");
    }
    let es = site_dir.join("stories/first-story.es.md");
    std::fs::write(
        &es,
        "---\ntitle: La primera historia\nsummary: Una historia sobre un equipo.\n---\nUn equipo de Hawái aprendió a reunirse.\n",
    )
    .unwrap();
    let built = inc.rebuild(&opts, std::slice::from_ref(&es)).unwrap();
    let page = String::from_utf8(
        built
            .read("es/stories/first-story/index.html")
            .unwrap()
            .unwrap()
            .to_vec(),
    )
    .unwrap();
    assert!(page.contains("datetime=\"2016-01-28\""), "{page}");
    assert!(page.contains("/topics/ubt-basics/"), "{page}");
    assert!(page.contains("/regions/hawaii/"), "{page}");
    if let Err(e) = compare(&Ok(copy(&built)), &lmp::build(&opts)) {
        panic!("after the first translation: serve differs from a fresh build: {e}");
    }
    // A translation named otherwise, by `translation_of:`: its original was read without its
    // values.
    let segunda = site_dir.join("stories/segunda.es.md");
    std::fs::write(
        &segunda,
        "---\ntitle: La segunda historia\nsummary: Negociar en asociación.\ntranslation_of: second-story\n---\nAmbas partes traen intereses.\n",
    )
    .unwrap();
    let second = site_dir.join("stories/second-story.md");
    let edited = std::fs::read_to_string(&second)
        .unwrap()
        .replace("Both sides", "Both parties");
    for (what, changed) in [("new", &segunda), ("edited", &second)] {
        if changed == &second {
            std::fs::write(&second, &edited).unwrap();
        }
        let built = inc.rebuild(&opts, std::slice::from_ref(changed)).unwrap();
        let page = String::from_utf8(
            built
                .read("es/stories/second-story/index.html")
                .unwrap()
                .unwrap()
                .to_vec(),
        )
        .unwrap();
        assert!(page.contains("datetime=\"2018-06-01\""), "{what}: {page}");
        assert!(page.contains("/regions/colorado/"), "{what}: {page}");
        if let Err(e) = compare(&Ok(copy(&built)), &lmp::build(&opts)) {
            panic!("{what} original by `translation_of`: serve differs from a fresh build: {e}");
        }
    }
}
