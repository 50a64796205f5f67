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
    pub(crate) fn with_source(mut self, text: &str) -> Self {
        if self.line > 0
            && let Some(l) = text.lines().nth(self.line - 1)
        {
            self = self.with_source_line(l.trim_end_matches('\r'));
        }
        self
    }

    /// Attach `line` as the source line: only the [`SOURCE_WIDTH`] characters each side of the
    /// column are kept, starting [`cut_before`] characters in (what [`source_window`] expects).
    pub(crate) fn with_source_line(mut self, line: &str) -> Self {
        let skip = cut_before(self.col);
        let from = line.char_indices().nth(skip).map_or(line.len(), |(i, _)| i);
        let to = line[from..]
            .char_indices()
            .nth(2 * SOURCE_WIDTH)
            .map_or(line.len(), |(i, _)| from + i);
        self.source_line = Some(line[from..to].to_string());
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

/// Paths print with forward slashes so output is the same on every platform.
pub(crate) fn display_path(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Control characters (line breaks, escape sequences, NUL, …) written as visible escapes (`\n`,
/// `\u{1b}`), so that a file name, a key or a message can never start a line of its own or
/// drive the terminal. Tabs stay (they only move the caret line along).
pub(crate) fn escape_controls(s: &str) -> String {
    if !s.chars().any(|c| c.is_control() && c != '\t') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        push_char(&mut out, c);
    }
    out
}

fn push_char(out: &mut String, c: char) {
    match c {
        '\t' => out.push('\t'),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        c if c.is_control() => {
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

/// Sort diagnostics root causes first (those not [`Diagnostic::caused`]), then by path, line,
/// column and message, and drop exact duplicates.
pub(crate) fn sort(diags: &mut Vec<Diagnostic>) {
    mark_explained(diags);
    diags.sort_by(|a, b| {
        (a.caused, &a.path, a.line, a.col, a.severity, &a.message)
            .cmp(&(b.caused, &b.path, b.line, b.col, b.severity, &b.message))
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
    for d in diags.iter_mut() {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
