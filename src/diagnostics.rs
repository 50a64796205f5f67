//! Diagnostics: content problems as data. A [`Diagnostic`] names a file, a line and a column, says
//! what is wrong and how to fix it. The build collects every diagnostic of a run and prints them
//! together, sorted by path and line, in one of three formats (human, JSON lines, GitHub).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in the input, located in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path as shown to the user (relative to the current directory when possible).
    pub path: PathBuf,
    /// 1-based line in the file; 0 when the problem is about the whole file.
    pub line: usize,
    /// 1-based column (in characters) in the line; 0 when unknown.
    pub col: usize,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    /// The source line the caret points into, if known: only the part around the column that
    /// can be shown (see [`Diagnostic::with_source`]).
    pub source_line: Option<String>,
    /// Caused by the errors of another file, which its message names (e.g. a reference to a
    /// document whose front matter is broken): listed after the root causes.
    pub caused: bool,
}

impl Diagnostic {
    pub fn error(
        path: impl Into<PathBuf>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.into(),
            line,
            col,
            severity: Severity::Error,
            message: message.into(),
            help: None,
            source_line: None,
            caused: false,
        }
    }

    pub fn warning(
        path: impl Into<PathBuf>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Self::error(path, line, col, message)
        }
    }

    /// Mark this error as caused by the errors of another file (its message names the file).
    pub(crate) fn caused(mut self) -> Self {
        self.caused = true;
        self
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Attach the source line `self.line` taken from the file's full text: only the
    /// [`SOURCE_WIDTH`] characters each side of the column, which is all that is shown (QA
    /// Q108: 20,000 errors on one 440 kB line each kept the whole line, 18 GB).
    /// For one diagnostic of a file; a pass that may find many uses [`Diagnostic::with_source_in`]
    /// with one [`Lines`] per file (QA Q135: each lookup here reads the file up to the line).
    pub(crate) fn with_source(self, text: &str) -> Self {
        self.with_source_in(&Lines::new(text))
    }

    /// [`Diagnostic::with_source`] through the line index of the file's text, made once per
    /// file: 200,000 errors in a 6.7 MB file cost one pass over it, not one per error.
    pub(crate) fn with_source_in(mut self, lines: &Lines<'_>) -> Self {
        if self.line > 0
            && let Some(l) = lines.line(self.line)
        {
            let l = l.trim_end_matches('\r');
            let from = lines.char_offset(self.line, l, cut_before(self.col));
            self = self.with_source_from(&l[from..]);
        }
        self
    }

    /// Attach `line` as the source line: only the [`SOURCE_WIDTH`] characters each side of the
    /// column are kept, starting [`cut_before`] characters in (what [`source_window`] expects).
    pub(crate) fn with_source_line(self, line: &str) -> Self {
        let skip = cut_before(self.col);
        let from = line.char_indices().nth(skip).map_or(line.len(), |(i, _)| i);
        self.with_source_from(&line[from..])
    }

    /// Keep the first `2 * SOURCE_WIDTH` characters of `rest`, the line from [`cut_before`]
    /// characters in.
    fn with_source_from(mut self, rest: &str) -> Self {
        let to = rest
            .char_indices()
            .nth(2 * SOURCE_WIDTH)
            .map_or(rest.len(), |(i, _)| i);
        self.source_line = Some(rest[..to].to_string());
        self
    }

    /// The source line as shown under the message: cut to [`SOURCE_WIDTH`] characters around
    /// the column, control characters escaped.
    pub(crate) fn source_shown(&self) -> Option<String> {
        self.source_line
            .as_deref()
            .map(|src| source_window(src, self.col).0)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn location(&self) -> String {
        let p = escape_controls(&display_path(&self.path));
        match (self.line, self.col) {
            (0, _) => p,
            (l, 0) => format!("{p}:{l}"),
            (l, c) => format!("{p}:{l}:{c}"),
        }
    }

    /// Human format: `path:line:col: error: message`, the source line with a caret, `help: ...`.
    pub(crate) fn render_human(&self) -> String {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!(
            "{}: {sev}: {}\n",
            self.location(),
            escape_controls(&self.message)
        );
        if let Some(src) = &self.source_line {
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            let (shown, lead) = source_window(src, self.col);
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{num} | {shown}");
            if self.col > 0 {
                let _ = writeln!(out, "{pad} | {lead}^");
            }
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "  = help: {}", escape_controls(help));
        }
        out
    }

    /// One JSON object on one line (for editors and CI). JSON escapes every control character
    /// itself (`\n`, `\u001b`), so the values stay exact and cannot break the line.
    pub(crate) fn render_json(&self) -> String {
        serde_json::json!({
            "path": display_path(&self.path),
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "message": self.message,
            "help": self.help,
            "caused": self.caused,
        })
        .to_string()
    }

    /// A GitHub Actions workflow command (`::error file=...`).
    pub(crate) fn render_github(&self) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // Control characters of the message itself are escaped first, so only the line break
        // before the help is a real one (encoded as %0A below, as GitHub expects).
        let mut msg = escape_controls(&self.message);
        if let Some(h) = &self.help {
            msg.push_str("\nhelp: ");
            msg.push_str(&escape_controls(h));
        }
        let esc = |s: &str| {
            s.replace('%', "%25")
                .replace('\r', "%0D")
                .replace('\n', "%0A")
        };
        let prop = |s: &str| esc(s).replace(':', "%3A").replace(',', "%2C");
        let path = escape_controls(&display_path(&self.path));
        let mut out = format!("::{kind} file={}", prop(&path));
        if self.line > 0 {
            let _ = write!(out, ",line={}", self.line);
        }
        if self.col > 0 {
            let _ = write!(out, ",col={}", self.col);
        }
        let _ = write!(out, "::{}", esc(&msg));
        out
    }
}

/// Where the lines of a file's text start, found once (on first use) and then shared by every
/// diagnostic of the file: the text of line `n`, and the line and column of a byte offset, each
/// without reading the file again (QA Q135: a 6.7 MB table with a broken `#anchor` per row read
/// the file once per error and did not finish `lmp check` in two minutes). Columns within one
/// long line are counted on from the last one asked for, so many errors on one line, asked in
/// order, cost one pass over it too.
pub(crate) struct Lines<'a> {
    text: &'a str,
    starts: std::cell::OnceCell<Vec<usize>>,
    /// The last position found: (byte offset in the text, 1-based line, characters before it
    /// in that line).
    cursor: std::cell::Cell<(usize, usize, usize)>,
}

impl<'a> Lines<'a> {
    /// Free until a line is asked for.
    pub(crate) fn new(text: &'a str) -> Lines<'a> {
        Lines {
            text,
            starts: std::cell::OnceCell::new(),
            cursor: std::cell::Cell::new((0, 1, 0)),
        }
    }

    fn starts(&self) -> &[usize] {
        self.starts.get_or_init(|| {
            work(self.text.len());
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1))
                .collect()
        })
    }

    /// The byte offset where 1-based line `n` starts (the end of the text when it has fewer).
    pub(crate) fn offset_of_line(&self, n: usize) -> usize {
        self.starts()
            .get(n.max(1) - 1)
            .copied()
            .unwrap_or(self.text.len())
    }

    /// Line `n` (1-based) without its `\n`, as [`str::lines`] gives it (a `\r` before the `\n`
    /// left out too); `None` past the last line.
    pub(crate) fn line(&self, n: usize) -> Option<&'a str> {
        let starts = self.starts();
        let start = *starts.get(n.checked_sub(1)?)?;
        if start >= self.text.len() {
            return None;
        }
        let end = starts.get(n).map_or(self.text.len(), |&e| e - 1);
        let l = &self.text[start..end];
        Some(l.strip_suffix('\r').unwrap_or(l))
    }

    /// The byte offset in `line` (the text of line `n`) of its `chars`-th character (its end
    /// when shorter), counted on from the last position when it is further on the same line.
    fn char_offset(&self, n: usize, line: &str, chars: usize) -> usize {
        let Some(&start) = self.starts().get(n - 1) else {
            return line.len();
        };
        let (at, cur_line, cur_chars) = self.cursor.get();
        let (mut i, mut c) = if cur_line == n
            && cur_chars <= chars
            && at >= start
            && at - start <= line.len()
            && line.is_char_boundary(at - start)
        {
            (at - start, cur_chars)
        } else {
            (0, 0)
        };
        let bytes = line.as_bytes();
        let from = i;
        while c < chars && i < bytes.len() {
            i += 1;
            while i < bytes.len() && !line.is_char_boundary(i) {
                i += 1;
            }
            c += 1;
        }
        work(i - from);
        self.cursor.set((start + i, n, c));
        i
    }

    /// 1-based line and column (in characters) of byte offset `at` (moved back to the start of
    /// its character; the end of the text when past it).
    pub(crate) fn line_col(&self, at: usize) -> (usize, usize) {
        let text = self.text;
        let mut at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let starts = self.starts();
        let line = starts.partition_point(|&s| s <= at);
        let start = starts[line - 1];
        let (cur, cur_line, cur_chars) = self.cursor.get();
        let (from, before) = if cur_line == line && cur >= start && cur <= at {
            (cur, cur_chars)
        } else {
            (start, 0)
        };
        let seg = &text.as_bytes()[from..at];
        work(seg.len());
        // Characters are counted as the bytes that do not continue a UTF-8 sequence.
        let chars = before + seg.iter().filter(|&&b| (b as i8) >= -0x40).count();
        self.cursor.set((at, line, chars));
        (line, chars + 1)
    }
}

thread_local! {
    /// The bytes this thread has read to find source lines and places (see [`work`]).
    static WORK: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Count `n` bytes read to find a source line or a place in a file: tests read the sum
/// (`work_done`) to show that many diagnostics in one file cost about one pass over it, not
/// one per diagnostic (QA Q135).
#[inline]
pub(crate) fn work(n: usize) {
    WORK.with(|w| w.set(w.get().wrapping_add(n)));
}

/// Paths print with forward slashes so output is the same on every platform.
pub(crate) fn display_path(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Control characters (line breaks, escape sequences, NUL, …) written as visible escapes (`\n`,
/// `\u{1b}`), so that a file name, a key or a message can never start a line of its own or
/// drive the terminal. Tabs stay (they only move the caret line along).
pub(crate) fn escape_controls(s: &str) -> String {
    if !s.chars().any(|c| shown_escaped(c) && c != '\t') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        push_char(&mut out, c);
    }
    out
}

/// Control characters, and the invisible text-direction controls (U+202A–U+202E,
/// U+2066–U+2069) that would turn the rest of a terminal line around.
fn shown_escaped(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn push_char(out: &mut String, c: char) {
    match c {
        '\t' => out.push('\t'),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        c if shown_escaped(c) => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
        c => out.push(c),
    }
}

/// The widest source line shown under a diagnostic, in characters; longer lines are cut around
/// the column with an ellipsis at each cut end.
pub(crate) const SOURCE_WIDTH: usize = 120;

/// The part of `src` shown (control characters escaped, cut to [`SOURCE_WIDTH`] around `col`)
/// and the run of blanks (tabs kept) that puts a caret under column `col` of it.
/// How many characters of a line [`Diagnostic::with_source_line`] leaves out before the part it
/// keeps, for a diagnostic at column `col`.
fn cut_before(col: usize) -> usize {
    col.saturating_sub(1).saturating_sub(SOURCE_WIDTH)
}

fn source_window(src: &str, col: usize) -> (String, String) {
    let chars: Vec<char> = src.chars().collect();
    // The kept part starts `cut_before` characters into the line; the window below then shows
    // the leading `…` (the column is SOURCE_WIDTH characters in), and the trailing one when
    // the line goes on.
    let at = col.saturating_sub(1 + cut_before(col)).min(chars.len());
    let (start, end) = if chars.len() <= SOURCE_WIDTH {
        (0, chars.len())
    } else {
        let start = at.saturating_sub(SOURCE_WIDTH / 2);
        let end = (start + SOURCE_WIDTH).min(chars.len());
        (end.saturating_sub(SOURCE_WIDTH), end)
    };
    let mut shown = String::new();
    let mut lead = String::new();
    if start > 0 {
        shown.push('…');
        lead.push(' ');
    }
    for (i, &c) in chars.iter().enumerate().take(end).skip(start) {
        let before = shown.chars().count();
        push_char(&mut shown, c);
        if i < at {
            let width = shown.chars().count() - before;
            match c {
                '\t' => lead.push('\t'),
                _ => lead.extend(std::iter::repeat_n(' ', width)),
            }
        }
    }
    if end < chars.len() {
        shown.push('…');
    }
    (shown, lead)
}

/// Sort diagnostics root causes first (those not [`Diagnostic::caused`]), then by path (in
/// natural order: `s2.md` before `s10.md`), line, column and message, and drop exact duplicates.
pub(crate) fn sort(diags: &mut Vec<Diagnostic>) {
    mark_explained(diags);
    diags.sort_by(|a, b| {
        a.caused
            .cmp(&b.caused)
            .then_with(|| crate::util::natural_path_cmp(&a.path, &b.path))
            .then_with(|| {
                (a.line, a.col, a.severity, &a.message)
                    .cmp(&(b.line, b.col, b.severity, &b.message))
            })
    });
    diags.dedup();
}

/// `s` cut to at most `max` characters, with `…(N kB)` for what was cut (a `data:` URL of a
/// pasted picture must not fill the terminal).
pub(crate) fn shorten(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…({} kB)", &s[..cut], s.len().div_ceil(1000)),
        None => s.to_string(),
    }
}

/// `bytes` as text, or the error for a file that is not UTF-8 at the line and column of its
/// first bad byte, naming the Windows-1252 characters Word writes (QA Q112): content files,
/// config.yaml and the strings files (`i18n/es.yaml`) all say it alike (a strings file or
/// config.yaml saved in another character set said "could not read this file: stream did not
/// contain valid UTF-8" without a place).
pub(crate) fn utf8_text(path: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let e = match String::from_utf8(bytes) {
        Ok(t) => return Ok(t),
        Err(e) => e,
    };
    let b = e.as_bytes();
    // Hostile pass s24: a file saved as UTF-16 (Notepad's "Unicode") or a binary file in
    // place of a text one was "not valid UTF-8 (byte 0xff)" at some column of line 1.
    if b.starts_with(&[0xFF, 0xFE]) || b.starts_with(&[0xFE, 0xFF]) {
        return Err(Diagnostic::error(
            path,
            0,
            0,
            "the file is saved as UTF-16 (\"Unicode\" in Notepad), not UTF-8",
        )
        .with_help("open it in a text editor and save it again choosing the encoding UTF-8"));
    }
    if b[..b.len().min(8192)].contains(&0) {
        return Err(Diagnostic::error(path, 0, 0, "the file is binary data, not text")
            .with_help("it must be a text file, written in a text editor: this one was most likely copied over it by mistake; put the text file back (from a backup or version history)"));
    }
    let valid = e.utf8_error().valid_up_to();
    let line = b[..valid].iter().filter(|&&c| c == b'\n').count() + 1;
    let line_start = b[..valid]
        .iter()
        .rposition(|&c| c == b'\n')
        .map(|i| i + 1)
        .unwrap_or(0);
    let col = String::from_utf8_lossy(&b[line_start..valid])
        .chars()
        .count()
        + 1;
    let what = match b[valid] {
        // QA Q112: Word's typographic characters in a file saved as Windows-1252.
        0x91 | 0x92 => ": a curly apostrophe ’ as Windows-1252 writes it",
        0x93 | 0x94 => ": a curly quote “ ” as Windows-1252 writes it",
        0x96 | 0x97 => ": a dash – — as Windows-1252 writes it",
        0x85 => ": an ellipsis … as Windows-1252 writes it",
        _ => "",
    };
    Err(Diagnostic::error(
        path,
        line,
        col,
        format!(
            "the file is not valid UTF-8 (byte 0x{:02x}{what})",
            b[valid]
        ),
    )
    .with_help(
        "save the file as UTF-8 in your editor (it may have been saved as Windows-1252 or Latin-1)",
    ))
}

/// The error for a folder of the site that is not a collection's (`practices-old/`), whose
/// files were most likely in `meant/` (see `content::scan`). [`sort`] marks broken links into
/// `meant/` as caused by it (QA Q9: a renamed collection folder).
pub(crate) fn unplaced_folder(
    path: PathBuf,
    folder: &str,
    files: &str,
    meant: Option<&str>,
    help: String,
) -> Diagnostic {
    let mut d = Diagnostic::error(
        path,
        0,
        0,
        format!("`{folder}/` is not a collection folder, so {files} not built"),
    )
    .with_help(help);
    if let Some(m) = meant {
        // Read back by `mark_explained`.
        d.source_line = Some(format!("{UNPLACED}{m}/"));
    }
    d
}

const UNPLACED: &str = "\u{0}unplaced:";

/// `d`, a root cause, marked so that [`sort`] marks broken links into `folder` (`regions/`)
/// as caused by it (QA Q101: a missing `site/regions/`).
pub(crate) fn explains_links_into(mut d: Diagnostic, folder: &str) -> Diagnostic {
    d.source_line = Some(format!("{UNPLACED}{folder}"));
    d
}

/// `d`, the error of a folder that is most likely `static/` renamed, marked so that [`sort`]
/// marks the errors of missing pictures and files (`the file /images/x.jpg does not exist`,
/// `missing file: …`) as caused by it (QA s14).
pub(crate) fn explains_missing_files(mut d: Diagnostic) -> Diagnostic {
    d.source_line = Some(format!("{UNPLACED}{STATIC_GONE}"));
    d
}

/// What [`explains_missing_files`] marks its error with (no folder is named so).
const STATIC_GONE: &str = "\u{0}static";

/// Broken-link errors into the folder an unplaced folder's files were meant for: marked as
/// caused by it, with the cause named in their help.
fn mark_explained(diags: &mut [Diagnostic]) {
    let mut causes: Vec<(String, String)> = Vec::new();
    for d in diags.iter_mut() {
        if let Some(meant) = d
            .source_line
            .as_deref()
            .and_then(|s| s.strip_prefix(UNPLACED))
        {
            causes.push((display_path(&d.path), meant.to_string()));
            // The marker is not a source line to show.
            d.source_line = None;
        }
    }
    if causes.is_empty() {
        return;
    }
    let static_cause = causes
        .iter()
        .find(|(_, meant)| meant == STATIC_GONE)
        .map(|(cause, _)| cause.clone());
    for d in diags.iter_mut() {
        // A link to a file (`/files/report.pdf`), not to a page.
        let to_a_file = || {
            let link = d.message.split_whitespace().nth(2).unwrap_or_default();
            let name = link.split(['?', '#']).next().unwrap_or(link);
            let name = name.rsplit('/').next().unwrap_or(name);
            name.contains('.') && !name.ends_with(".md") && !name.ends_with(".html")
        };
        if let Some(cause) = &static_cause
            && d.is_error()
            && !d.caused
            && (d.message.starts_with("missing file: ")
                || (d.message.contains("the file ") && d.message.ends_with(" does not exist"))
                || (d.message.starts_with("broken link: ")
                    && d.message.ends_with(" is not a page or file of this site")
                    && to_a_file()))
        {
            d.caused = true;
            d.help = Some(format!(
                "the file is most likely in {cause}, which is not published: see the error there; this one then goes away"
            ));
            continue;
        }
        // QA s13: `tools: [x]` of a guide, with `tools/` renamed: "there is no tool `x`" came
        // before the renamed folder's error, as a root cause of its own.
        if !d.caused && d.message.starts_with("there is no ") {
            let into = |meant: &str| {
                d.help.as_deref().is_some_and(|h| {
                    h.ends_with(&format!("of a document in {meant}"))
                        || h.starts_with(&format!("the site has no folder {meant}:"))
                })
            };
            if let Some((cause, _)) = causes.iter().find(|(_, meant)| into(meant)) {
                d.caused = true;
                d.help = Some(format!(
                    "the document is most likely in {cause}, which is not built: see the error there; this one then goes away"
                ));
            }
            continue;
        }
        if d.caused
            || !(d.message.starts_with("broken link: ") || d.message.starts_with("missing file: "))
        {
            continue;
        }
        // The link as written: the word after "broken link: ".
        let link = d.message.split_whitespace().nth(2).unwrap_or_default();
        let Some((cause, _)) = causes.iter().find(|(_, meant)| {
            link.starts_with(meant.as_str()) || link.contains(&format!("/{meant}"))
        }) else {
            continue;
        };
        d.caused = true;
        d.help = Some(format!(
            "the file is most likely in {cause}, which is not built: see the error there; this one then goes away"
        ));
    }
}

/// Output format for diagnostics (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    #[default]
    Human,
    Json,
    Github,
}

/// How many diagnostics with the same message in one file are shown in full (QA Q108: a page
/// exported on one line with 5,000 links to a renamed folder printed 5,000 errors); the rest
/// are counted on one line. `--format json` lists every one.
pub(crate) const SAME_SHOWN: usize = 20;

/// From how many errors a failed run ends with [`overview`].
pub(crate) const OVERVIEW_FROM: usize = 30;

/// A message with what varies from one error of its kind to the next left out: quoted values
/// (`` `hawai` ``), paths and addresses, numbers, each written `…`. "broken link: x.md does not
/// exist" and "broken link: y.md does not exist" are one kind.
#[cfg(test)]
fn kind_of(message: &str) -> String {
    kind_pieces(message)
        .iter()
        .map(|p| p.kind.as_str())
        .collect()
}

/// A piece of a message: as its kind writes it (`` `…` ``, `…`, or the words themselves) and as
/// this message has it.
struct Piece {
    kind: String,
    actual: String,
}

/// The pieces of [`kind_of`]: each quoted value, path, address and number apart from the words
/// around it, so that an overview shows a kind's values where all its errors agree on them
/// ("months run from 1 to 12", not "from … to …"). A number that differs is `…` as a path is
/// (it was `N`: "`…` has month N" read as a letter of the message, session 23), and the
/// overview says once what `…` stands for.
fn kind_pieces(message: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut words = String::new();
    for (i, part) in message.split('`').enumerate() {
        if i % 2 == 1 {
            if !words.is_empty() {
                out.push(Piece {
                    kind: words.clone(),
                    actual: std::mem::take(&mut words),
                });
            }
            out.push(Piece {
                kind: "`…`".to_string(),
                actual: format!("`{part}`"),
            });
            continue;
        }
        let mut first = true;
        for word in part.split(' ') {
            if !first {
                words.push(' ');
            }
            first = false;
            let core = word.trim_end_matches([':', ',', ';', '.', ')']);
            let tail = &word[core.len()..];
            let path_like = core.contains('/')
                || core.rsplit_once('.').is_some_and(|(a, b)| {
                    !a.is_empty()
                        && !b.is_empty()
                        && b.len() <= 5
                        && b.chars().all(|c| c.is_ascii_alphanumeric())
                });
            let placeholder = if path_like || core.chars().any(|c| c.is_ascii_digit()) {
                "…"
            } else {
                words.push_str(word);
                continue;
            };
            if !words.is_empty() {
                out.push(Piece {
                    kind: words.clone(),
                    actual: std::mem::take(&mut words),
                });
            }
            out.push(Piece {
                kind: placeholder.to_string(),
                actual: core.to_string(),
            });
            words.push_str(tail);
        }
    }
    if !words.is_empty() {
        out.push(Piece {
            kind: words.clone(),
            actual: words,
        });
    }
    out
}

/// How an overview names a kind: each piece as its errors have it where they all agree, else
/// as the kind writes it.
struct Shown {
    pieces: Vec<Piece>,
    /// Per piece: every error of the kind has the same value there.
    same: Vec<bool>,
}

impl Shown {
    fn new(message: &str) -> Shown {
        let pieces = kind_pieces(message);
        let same = vec![true; pieces.len()];
        Shown { pieces, same }
    }

    fn add(&mut self, message: &str) {
        let other = kind_pieces(message);
        if other.len() != self.pieces.len() {
            self.same.iter_mut().for_each(|s| *s = false);
            return;
        }
        for ((p, o), s) in self.pieces.iter().zip(&other).zip(self.same.iter_mut()) {
            *s &= p.actual == o.actual;
        }
    }

    fn text(&self) -> String {
        self.pieces
            .iter()
            .zip(&self.same)
            .map(|(p, &same)| {
                if same {
                    p.actual.as_str()
                } else {
                    p.kind.as_str()
                }
            })
            .collect()
    }

    /// Whether the errors of the kind differ somewhere (its text has a `…`).
    fn varies(&self) -> bool {
        self.same.iter().any(|s| !s)
    }
}

/// The end of a run with many errors (QA s13: 10,000 errors were 60,000 lines, and only their
/// count at the end): how many of each kind, most first, each with where the first one is, so
/// the few causes behind thousands of lines are seen at once. `None` under [`OVERVIEW_FROM`]
/// errors.
pub(crate) fn overview(diags: &[Diagnostic]) -> Option<String> {
    const KINDS: usize = 8;
    let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
    if errors.len() < OVERVIEW_FROM {
        return None;
    }
    // By kind, root causes apart from the errors they cause (QA s14: a renamed folder's one
    // error came last, under the 4,127 broken links and references it caused).
    let mut kinds: Vec<(Shown, usize, &Diagnostic)> = Vec::new();
    let mut index: std::collections::HashMap<(bool, String), usize> =
        std::collections::HashMap::new();
    for d in &errors {
        let pieces = kind_pieces(&d.message);
        let k: String = pieces.iter().map(|p| p.kind.as_str()).collect();
        match index.get(&(d.caused, k.clone())) {
            Some(&i) => {
                kinds[i].0.add(&d.message);
                kinds[i].1 += 1;
            }
            None => {
                index.insert((d.caused, k), kinds.len());
                kinds.push((Shown::new(&d.message), 1, d));
            }
        }
    }
    let files: std::collections::HashSet<&Path> = errors.iter().map(|d| d.path.as_path()).collect();
    // Root causes first, then most first; the same count in the order printed (root causes
    // come first).
    kinds.sort_by_key(|k| (k.2.caused, std::cmp::Reverse(k.1)));
    let caused = errors.iter().filter(|d| d.caused).count();
    let roots = errors.len() - caused;
    let width = kinds
        .iter()
        .map(|k| k.1)
        .chain((roots > 0).then_some(caused))
        .max()
        .map_or(1, |n| n.to_string().len());
    // What `…` stands for, once, when a line shows it.
    let legend = if kinds.iter().take(KINDS).any(|k| k.0.varies()) {
        "; … is what differs from one error to the next"
    } else {
        ""
    };
    let mut out = format!(
        "The {} errors above, by kind ({} file{}{legend}):\n",
        errors.len(),
        files.len(),
        if files.len() == 1 { "" } else { "s" }
    );
    for (i, (kind, n, d)) in kinds.iter().take(KINDS).enumerate() {
        if d.caused && (i == 0 || !kinds[i - 1].2.caused) && roots > 0 {
            out.push_str(&format!(
                "  {caused:>width$} more caused by the error{} above (they go away once {} fixed):\n",
                if roots == 1 { "" } else { "s" },
                if roots == 1 { "it is" } else { "those are" }
            ));
        }
        let at = if d.line > 0 {
            format!("{}:{}:{}", display_path(&d.path), d.line, d.col)
        } else {
            display_path(&d.path)
        };
        out.push_str(&format!(
            "  {n:>width$} × {} (first at {at})\n",
            escape_controls(&shorten(&kind.text(), 100))
        ));
    }
    if kinds.len() > KINDS {
        let rest: usize = kinds[KINDS..].iter().map(|k| k.1).sum();
        out.push_str(&format!(
            "  {rest:>width$} × {} other kinds\n",
            kinds.len() - KINDS
        ));
    }
    Some(out)
}

pub fn render_all(diags: &[Diagnostic], format: Format) -> String {
    let mut out = String::new();
    let key = |d: &Diagnostic| (d.path.clone(), d.severity, d.message.clone());
    let mut counts: std::collections::HashMap<_, usize> = std::collections::HashMap::new();
    if format == Format::Human {
        for d in diags {
            *counts.entry(key(d)).or_default() += 1;
        }
    }
    let mut shown: std::collections::HashMap<_, usize> = std::collections::HashMap::new();
    for d in diags {
        match format {
            Format::Human => {
                let k = key(d);
                let total = counts.get(&k).copied().unwrap_or(0);
                let n = shown.entry(k).or_default();
                *n += 1;
                if *n > SAME_SHOWN {
                    continue;
                }
                out.push_str(&d.render_human());
                out.push('\n');
                if *n == SAME_SHOWN && total > SAME_SHOWN {
                    let what = if d.is_error() { "error" } else { "warning" };
                    out.push_str(&format!(
                        "{}: … and {} more of this {what} in this file, not shown: {}\n  = help: the first {SAME_SHOWN} are shown above; `--format json` lists every one\n\n",
                        display_path(&d.path),
                        total - SAME_SHOWN,
                        escape_controls(&d.message)
                    ));
                }
            }
            Format::Json => {
                out.push_str(&d.render_json());
                out.push('\n');
            }
            Format::Github => {
                out.push_str(&d.render_github());
                out.push('\n');
            }
        }
    }
    out
}

/// Edit distance with adjacent transpositions (optimal string alignment), for "did you mean"
/// suggestions: `stroy` is one edit from `story`.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    crate::util::edit_distance(&a, &b, usize::MAX).unwrap_or(usize::MAX)
}

/// The closest candidate within a small edit distance, for "did you mean `x`?".
pub(crate) fn suggest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// Many candidates for "did you mean", searched without comparing the word with each of them
/// (QA s10: a broken `.md` link compared its path with every document's, so 20,000 broken links
/// at 100,000 documents were two billion comparisons).
///
/// The candidates are kept sorted, which makes them a trie without building one: the words that
/// share a prefix are a range, and the range's children are found by binary search on the next
/// character. The search walks that trie with one row of the edit-distance table per prefix
/// (the row of a prefix is shared by every word below it) and leaves a branch as soon as its
/// row's smallest value is over the limit, or not better than the best word found so far. The
/// answer is the one [`suggest`] would give with the same limit (the smallest distance, then the
/// first word in sorted order), unless the search runs out of its [`Nearest::BUDGET`].
pub(crate) struct Nearest {
    /// Sorted and without duplicates; each with its characters.
    words: Vec<(String, Box<[char]>)>,
}

impl Nearest {
    /// Words longer than this are compared one by one (a table row per character of the word,
    /// kept for each level of the walk, would be too big); such links get no help worth a walk.
    const LONGEST: usize = 256;

    /// The most rows one search computes. Many similar names (60,000 `story-NNNNN.md`, a link
    /// to `story-00002.mdx` with 4 edits allowed) put thousands of words within reach; past
    /// this the search gives the best word found so far, found along the branches that go on as
    /// the word does first (QA s11: 20,000 such links at 100,000 documents spent 33 s of CPU
    /// in the search without it).
    const BUDGET: usize = 4_096;

    pub(crate) fn new<'a>(candidates: impl IntoIterator<Item = &'a str>) -> Nearest {
        let mut words: Vec<&str> = candidates.into_iter().collect();
        words.sort_unstable();
        words.dedup();
        Nearest {
            words: words
                .into_iter()
                .map(|w| (w.to_string(), w.chars().collect()))
                .collect(),
        }
    }

    /// The closest candidate within `limit` edits of `word` (optimal string alignment, as
    /// [`edit_distance`]), and its distance; the first in sorted order among equals.
    pub(crate) fn nearest(&self, word: &str, limit: usize) -> Option<(usize, &str)> {
        let want: Vec<char> = word.chars().collect();
        let best = if want.len() > Self::LONGEST {
            self.words
                .iter()
                .enumerate()
                .filter_map(|(i, (_, c))| {
                    crate::util::edit_distance(&want, c, limit).map(|d| (d, i))
                })
                .min()
        } else {
            let mut walk = Walk {
                words: &self.words,
                want: &want,
                limit,
                rows: vec![(0..=want.len()).collect()],
                best: None,
                budget: Self::BUDGET,
            };
            walk.node(0, self.words.len(), 0);
            walk.best
        };
        best.map(|(d, i)| (d, self.words[i].0.as_str()))
    }

    /// [`suggest`] over these candidates.
    pub(crate) fn suggest(&self, word: &str) -> Option<&str> {
        let limit = (word.chars().count() / 3).clamp(1, 3);
        self.nearest(word, limit).map(|(_, s)| s)
    }
}

/// One search of [`Nearest`]: `rows[k]` is the edit-distance row of the current prefix of
/// length `k` against `want`.
struct Walk<'n> {
    words: &'n [(String, Box<[char]>)],
    want: &'n [char],
    limit: usize,
    rows: Vec<Vec<usize>>,
    /// (distance, index in `words`) of the best word so far.
    best: Option<(usize, usize)>,
    /// The rows left to compute (see [`Nearest::BUDGET`]).
    budget: usize,
}

impl Walk<'_> {
    /// The words `lo..hi`, which share their first `depth` characters (whose row is
    /// `rows[depth]`).
    fn node(&mut self, mut lo: usize, hi: usize, depth: usize) {
        let m = self.want.len();
        if lo >= hi {
            return;
        }
        if self.words[lo].1.len() == depth {
            // A word that ends here sorts first among the words with this prefix.
            let d = self.rows[depth][m];
            if d <= self.limit && self.best.is_none_or(|b| (d, lo) < b) {
                self.best = Some((d, lo));
            }
            lo += 1;
        }
        // Below, every word has more than `depth` >= m + limit characters: too far.
        if depth >= m + self.limit || lo >= hi {
            return;
        }
        // The child that goes on as the word does first: it finds a close word early, which
        // then cuts the other branches short.
        let same = self.want.get(depth).and_then(|&c| {
            let a = lo + self.words[lo..hi].partition_point(|(_, w)| w[depth] < c);
            let b = a + self.words[a..hi].partition_point(|(_, w)| w[depth] <= c);
            (a < b).then_some((a, b, c))
        });
        if let Some((a, b, c)) = same {
            self.child(a, b, depth, c);
        }
        while lo < hi {
            let c = self.words[lo].1[depth];
            let end = lo + self.words[lo..hi].partition_point(|(_, w)| w[depth] <= c);
            if same.is_none_or(|(a, ..)| a != lo) {
                self.child(lo, end, depth, c);
            }
            lo = end;
        }
    }

    /// The child `lo..end` of a node at `depth`, whose words go on with `c`.
    fn child(&mut self, lo: usize, end: usize, depth: usize, c: char) {
        if self.budget == 0 {
            return;
        }
        self.budget -= 1;
        let m = self.want.len();
        if self.rows.len() <= depth + 1 {
            self.rows.push(vec![0; m + 1]);
        }
        let (done, next) = self.rows.split_at_mut(depth + 1);
        let (prev, new) = (&done[depth], &mut next[0]);
        let before = (depth > 0).then(|| (self.words[lo].1[depth - 1], &done[depth - 1]));
        new[0] = depth + 1;
        let mut row_min = new[0];
        for j in 1..=m {
            let cost = usize::from(self.want[j - 1] != c);
            let mut v = (prev[j] + 1).min(new[j - 1] + 1).min(prev[j - 1] + cost);
            if let Some((b, two_up)) = before
                && j > 1
                && c == self.want[j - 2]
                && b == self.want[j - 1]
            {
                v = v.min(two_up[j - 2] + 1);
            }
            new[j] = v;
            row_min = row_min.min(v);
        }
        #[cfg(test)]
        crate::util::compared(m);
        // No word below can be within the limit (a row's minimum never falls by more than
        // the transposition allows: see `util::edit_distance`), or beat the best so far: a
        // smaller distance, or the same one and earlier in sorted order.
        if row_min <= self.limit
            && self
                .best
                .is_none_or(|(b, i)| row_min < b || (row_min == b && lo < i))
        {
            self.node(lo, end, depth + 1);
        }
    }
}

/// The bytes this thread has read so far to find source lines and places (see [`work`]).
#[cfg(test)]
pub(crate) fn work_done() -> usize {
    WORK.with(std::cell::Cell::get)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The position of byte `at` and the text of line `n`, found the slow way (what
    /// `with_source` and the link check did for every diagnostic before QA Q135).
    fn naive_line_col(text: &str, at: usize) -> (usize, usize) {
        let before = &text[..at];
        let line = before.matches('\n').count() + 1;
        let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
            .chars()
            .count()
            + 1;
        (line, col)
    }

    #[test]
    fn the_line_index_agrees_with_reading_the_text_from_the_start() {
        let texts = [
            "",
            "\n",
            "a",
            "a\n",
            "a\r\nbé\r\n\r\nñandú `x` ✓\nlast",
            "---\ntitle: x\n---\n| a | [x](#h) |\n| b | [y](#h) |\n",
            "\n\nthree\r\r\n",
        ];
        for text in texts {
            let lines = Lines::new(text);
            for n in 0..text.lines().count() + 3 {
                let want = n.checked_sub(1).and_then(|k| text.lines().nth(k));
                assert_eq!(lines.line(n), want, "line {n} of {text:?}");
            }
            // Offsets in order (the cursor goes on), then backwards (it starts again).
            let bounds: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for &at in bounds.iter().chain(bounds.iter().rev()) {
                assert_eq!(
                    lines.line_col(at),
                    naive_line_col(text, at),
                    "{at} in {text:?}"
                );
            }
            for n in 1..text.lines().count() + 2 {
                let want = text
                    .match_indices('\n')
                    .nth(n.saturating_sub(2))
                    .map_or(text.len(), |(i, _)| i + 1);
                let want = if n <= 1 { 0 } else { want };
                assert_eq!(
                    lines.offset_of_line(n),
                    want,
                    "start of line {n} of {text:?}"
                );
            }
        }
    }

    /// A source line through the index is the one `with_source_line` keeps, at any column of a
    /// long line, asked in order or not.
    #[test]
    fn source_lines_through_the_index_are_cut_as_before() {
        let line = "ab`c`é ".repeat(400);
        let text = format!("---\ntitle: x\n---\n{line}\r\nnext\n");
        let lines = Lines::new(&text);
        let cr = text.find('\r').unwrap();
        for col in [
            1, 2, 119, 120, 121, 122, 500, 1500, 2799, 2800, 2801, 5000, 3, 900,
        ] {
            if col % 2 == 0 {
                // The cursor left at the line's `\r` (past the text of the line).
                assert_eq!(lines.line_col(cr), (4, 2801));
            }
            let d = Diagnostic::error("a.md", 4, col, "x");
            assert_eq!(
                d.clone().with_source_in(&lines).source_line,
                d.with_source_line(&line).source_line,
                "column {col}"
            );
        }
    }

    /// QA Q135: 4,000 diagnostics in one 200 kB file read it about once, not once each (the
    /// old lookup read ~400 MB here).
    #[test]
    fn many_diagnostics_in_one_file_read_it_about_once() {
        let row = "| cell | **b** | [x](#h) |\n";
        let text = format!("---\ntitle: x\n---\n{}", row.repeat(4_000));
        let before = work_done();
        let lines = Lines::new(&text);
        let diags: Vec<Diagnostic> = (0..4_000)
            .map(|i| Diagnostic::error("a.md", 4 + i, 21, "no heading").with_source_in(&lines))
            .collect();
        assert_eq!(
            diags[3_999].source_line.as_deref(),
            Some("| cell | **b** | [x](#h) |")
        );
        let read = work_done() - before;
        assert!(
            read < 3 * text.len(),
            "read {read} bytes for a {} byte file",
            text.len()
        );
    }

    /// QA Q108: thousands of identical errors in one file are 20 in full and one line of count.
    #[test]
    fn many_identical_diagnostics_in_a_file_are_counted_on_one_line() {
        let text = "---\ntitle: x\n---\n".to_string() + &"[x](../guides/nope.md) ".repeat(25);
        let mut diags: Vec<Diagnostic> = (0..25)
            .map(|i| {
                Diagnostic::error(
                    "site/stories/a.md",
                    4,
                    1 + 23 * i,
                    "broken link: ../guides/nope.md does not exist",
                )
                .with_source(&text)
            })
            .collect();
        diags.push(Diagnostic::error(
            "site/stories/a.md",
            2,
            8,
            "another error",
        ));
        diags.push(Diagnostic::error(
            "site/stories/b.md",
            4,
            1,
            "broken link: ../guides/nope.md does not exist",
        ));
        let out = render_all(&diags, Format::Human);
        assert_eq!(out.matches("error: broken link").count(), 21, "{out}");
        assert_eq!(
            out.matches("site/stories/a.md: … and 5 more of this error in this file, not shown: broken link: ../guides/nope.md does not exist").count(),
            1,
            "{out}"
        );
        assert!(
            out.contains("site/stories/a.md:2:8: error: another error"),
            "{out}"
        );
        assert!(
            out.contains("site/stories/b.md:4:1: error: broken link"),
            "{out}"
        );
        assert_eq!(render_all(&diags, Format::Json).lines().count(), 27);
    }

    /// The trie walk gives what comparing with every candidate gives, for words of every
    /// kind: typos, transpositions, prefixes and extensions of candidates, accents, empty.
    #[test]
    fn nearest_agrees_with_comparing_every_candidate() {
        let mut next = crate::util::rng(0x9e37_79b9_7f4a_7c15);
        let alphabet = ['a', 'b', 'c', '-', '/', 'é', '.'];
        for round in 0..300 {
            let mut words: Vec<String> = (0..next(40))
                .map(|_| {
                    (0..next(9))
                        .map(|_| alphabet[next(alphabet.len())])
                        .collect()
                })
                .collect();
            if round % 3 == 0 {
                words.push(String::new());
            }
            let index = Nearest::new(words.iter().map(String::as_str));
            for _ in 0..20 {
                let word: String = if !words.is_empty() && next(2) == 0 {
                    // A candidate with an edit or two.
                    let mut w: Vec<char> = words[next(words.len())].chars().collect();
                    for _ in 0..=next(2) {
                        match next(4) {
                            0 if !w.is_empty() => {
                                w.remove(next(w.len()));
                            }
                            1 => w.insert(next(w.len() + 1), alphabet[next(alphabet.len())]),
                            2 if w.len() > 1 => {
                                let i = next(w.len() - 1);
                                w.swap(i, i + 1);
                            }
                            _ if !w.is_empty() => {
                                let i = next(w.len());
                                w[i] = alphabet[next(alphabet.len())];
                            }
                            _ => {}
                        }
                    }
                    w.into_iter().collect()
                } else {
                    (0..next(10))
                        .map(|_| alphabet[next(alphabet.len())])
                        .collect()
                };
                assert_eq!(
                    index.suggest(&word),
                    suggest(&word, words.iter().map(String::as_str)),
                    "{word:?} among {words:?}"
                );
                for limit in 0..4 {
                    let slow = words
                        .iter()
                        .map(|c| (edit_distance(&word, c), c.as_str()))
                        .filter(|(d, _)| *d <= limit)
                        .min();
                    assert_eq!(index.nearest(&word, limit), slow, "{word:?} {limit}");
                }
            }
        }
    }

    /// QA s11: 100,000 names that differ in a few digits put thousands of words within reach
    /// of a link with a typo: the search stops after its budget of rows, and finds the word
    /// meant first (along the branches that go on as the word does).
    #[test]
    fn a_dense_set_of_names_costs_a_bounded_search() {
        let words: Vec<String> = (0..100_000)
            .map(|i| format!("stories/story-{i:05}.md"))
            .collect();
        let index = Nearest::new(words.iter().map(String::as_str));
        for (word, limit, want) in [
            (
                "stories/stroy-04217.md",
                3,
                Some((1, "stories/story-04217.md")),
            ),
            (
                "stories/story-04217.mdx",
                4,
                Some((1, "stories/story-04217.md")),
            ),
            (
                "stories/story-4217.md",
                3,
                Some((1, "stories/story-04217.md")),
            ),
            ("guides/nothing-at-all.md", 3, None),
        ] {
            let before = crate::util::compared_so_far();
            assert_eq!(index.nearest(word, limit), want, "{word}");
            let cells = crate::util::compared_so_far() - before;
            assert!(
                cells <= Nearest::BUDGET * word.chars().count(),
                "{word}: {cells} cells"
            );
        }
    }

    #[test]
    fn suggests_close_field_names() {
        assert_eq!(
            suggest("tittle", ["title", "date", "summary"]),
            Some("title")
        );
        assert_eq!(
            suggest("sumary", ["title", "date", "summary"]),
            Some("summary")
        );
        assert_eq!(suggest("xyz", ["title", "date"]), None);
    }

    #[test]
    fn human_format_has_caret_under_column() {
        let d = Diagnostic::error("site/stories/a.md", 2, 3, "unknown field `tittle`")
            .with_help("did you mean `title`?")
            .with_source("---\ntittle: x\n");
        let s = d.render_human();
        assert!(
            s.starts_with("site/stories/a.md:2:3: error: unknown field `tittle`\n"),
            "{s}"
        );
        assert!(s.contains("2 | tittle: x\n  |   ^\n"), "{s}");
        assert!(s.contains("help: did you mean `title`?"));
    }

    #[test]
    fn long_source_lines_are_cut_around_the_column() {
        let line = format!("{}BAD{}", "a".repeat(500_000), "b".repeat(500_000));
        let d = Diagnostic::error("site/a.md", 1, 500_001, "bad").with_source(&line);
        // QA Q108: only what can be shown is kept.
        let kept = d.source_line.as_deref().map_or(0, str::len);
        assert!(kept <= 2 * SOURCE_WIDTH + 4, "{kept} bytes kept");
        let s = d.render_human();
        assert!(s.len() < 1000, "{} bytes", s.len());
        let src = s.lines().nth(2).unwrap();
        let caret = s.lines().nth(3).unwrap();
        assert!(src.starts_with("1 | …a") && src.ends_with("b…"), "{src}");
        assert_eq!(src.chars().count(), "1 | ".len() + SOURCE_WIDTH + 2);
        // The caret is under the B of BAD.
        let at = caret.chars().count() - 1;
        assert_eq!(src.chars().nth(at), Some('B'), "{src}\n{caret}");
        // Near the start: no leading ellipsis, caret still right.
        let d = Diagnostic::error("a.md", 1, 3, "x").with_source(&"xyz".repeat(100));
        let s = d.render_human();
        let src = s.lines().nth(2).unwrap();
        assert!(src.starts_with("1 | xyz") && src.ends_with('…'), "{src}");
        assert!(s.contains("\n  |   ^\n"), "{s}");
        // Short lines are shown whole.
        let d = Diagnostic::error("a.md", 1, 2, "x").with_source("\tab");
        assert!(d.render_human().contains("1 | \tab\n  | \t^\n"));
    }

    #[test]
    fn control_characters_cannot_forge_lines() {
        let d = Diagnostic::warning(
            "site/a\n::error file=x::forged\u{1b}[31m.md",
            1,
            1,
            "key `a\nb` \r\n::warning::forged",
        )
        .with_help("h\nx")
        .with_source("k\x07ey: 1");
        for format in [Format::Human, Format::Json, Format::Github] {
            let out = render_all(std::slice::from_ref(&d), format);
            assert!(
                !out.contains('\u{1b}') && !out.contains('\r'),
                "{format:?}: {out}"
            );
            for line in out.lines() {
                assert!(
                    !line.starts_with("::error") || format == Format::Github,
                    "{format:?}: {out}"
                );
                assert!(
                    !line.contains("::warning::forged") || line.contains("\\n"),
                    "{format:?}: {out}"
                );
                assert!(!line.starts_with("::warning::"), "{format:?}: {out}");
            }
        }
        let human = d.render_human();
        assert!(human.starts_with("site/a\\n::error file=x::forged\\u{1b}[31m.md:1:1: warning: key `a\\nb` \\r\\n::warning::forged\n"), "{human}");
        assert!(human.contains("1 | k\\u{7}ey: 1\n"), "{human}");
        assert!(human.contains("help: h\\nx"), "{human}");
        assert_eq!(
            render_all(std::slice::from_ref(&d), Format::Github)
                .lines()
                .count(),
            1
        );
        assert_eq!(render_all(&[d], Format::Json).lines().count(), 1);
    }

    /// QA s13: 10,050 errors (50 files of broken links, pictures without alt text and an unknown
    /// topic each) ended with their count only; now with how many of each kind.
    #[test]
    fn many_errors_end_with_how_many_of_each_kind() {
        let mut diags = Vec::new();
        for f in 0..50 {
            let path = format!("site/stories/broken-{f:02}.md");
            diags.push(Diagnostic::error(
                &path,
                5,
                9,
                format!("unknown topic `no-such-topic-{f}`"),
            ));
            for i in 0..100 {
                diags.push(Diagnostic::error(
                    &path,
                    8 + i,
                    5,
                    format!("broken link: missing-{f}-{i}.md does not exist"),
                ));
                diags.push(Diagnostic::error(
                    &path,
                    8 + i,
                    30,
                    format!("the image /images/nope-{i}.png has no alt text"),
                ));
            }
        }
        diags.push(Diagnostic::warning(
            "site/x.md",
            1,
            1,
            "a warning is not counted",
        ));
        let o = overview(&diags).unwrap();
        assert_eq!(
            o,
            "The 10050 errors above, by kind (50 files; … is what differs from one error to the next):\n\
             \x20 5000 × broken link: … does not exist (first at site/stories/broken-00.md:8:5)\n\
             \x20 5000 × the image … has no alt text (first at site/stories/broken-00.md:8:30)\n\
             \x20   50 × unknown topic `…` (first at site/stories/broken-00.md:5:9)\n"
        );
        // A few errors: read whole, no overview.
        assert!(overview(&diags[..OVERVIEW_FROM - 1]).is_none());
        // QA s14: a renamed folder's one error first, then what it causes (it came last).
        let mut renamed = vec![Diagnostic::error(
            "site/toolz",
            0,
            0,
            "`toolz/` is not a collection folder, so its 500 files are not built",
        )];
        for i in 0..40 {
            let path = format!("site/guides/g-{i:02}.md");
            renamed.push(
                Diagnostic::error(
                    &path,
                    3,
                    1,
                    format!("broken link: ../tools/t-{i}.md does not exist"),
                )
                .caused(),
            );
            if i < 30 {
                renamed.push(
                    Diagnostic::error(&path, 8, 8, format!("there is no tool `t-{i}`")).caused(),
                );
            }
        }
        assert_eq!(
            overview(&renamed).unwrap(),
            "The 71 errors above, by kind (41 files; … is what differs from one error to the next):\n\
             \x20  1 × `toolz/` is not a collection folder, so its 500 files are not built (first at site/toolz)\n\
             \x20 70 more caused by the error above (they go away once it is fixed):\n\
             \x20 40 × broken link: … does not exist (first at site/guides/g-00.md:3:1)\n\
             \x20 30 × there is no tool `…` (first at site/guides/g-00.md:8:8)\n"
        );
        // Where every error of a kind has the same value, the overview shows it (hostile
        // author s22: "months run from N to N"); where they differ, `…`, said once (session 23:
        // a number that differs was `N`, "has month N", which read as a letter of the message).
        let months: Vec<Diagnostic> = (0..OVERVIEW_FROM)
            .map(|i| {
                Diagnostic::error(
                    format!("site/stories/s{i:02}.md"),
                    2,
                    7,
                    format!(
                        "`date`: `2024-{}-01` has month {}: months run from 1 to 12",
                        13 + i,
                        13 + i
                    ),
                )
            })
            .collect();
        assert_eq!(
            overview(&months).unwrap(),
            "The 30 errors above, by kind (30 files; … is what differs from one error to the next):\n\
             \x20 30 × `date`: `…` has month …: months run from 1 to 12 (first at site/stories/s00.md:2:7)\n"
        );
        // Errors that agree on every value: no `…`, nothing to explain.
        let same: Vec<Diagnostic> = (0..OVERVIEW_FROM)
            .map(|_| {
                Diagnostic::error(
                    "site/stories/s.md",
                    2,
                    7,
                    "`date`: `2024-13-01` has month 13: months run from 01 to 12",
                )
            })
            .collect();
        assert_eq!(
            overview(&same).unwrap(),
            "The 30 errors above, by kind (1 file):\n\
             \x20 30 × `date`: `2024-13-01` has month 13: months run from 01 to 12 (first at site/stories/s.md:2:7)\n"
        );
        // Dates, sizes and addresses vary inside one kind; other words do not.
        assert_eq!(
            kind_of("`date`: `2014-02-30` does not exist: February 2014 has 28 days"),
            "`…`: `…` does not exist: February … has … days"
        );
        assert_eq!(
            kind_of("link to https://www..kp.org/x: the site name `www..kp.org` has an empty part"),
            "link to …: the site name `…` has an empty part"
        );
    }
}
