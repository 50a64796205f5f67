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
    /// The source line the caret points into, if known.
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
    pub fn caused(mut self) -> Self {
        self.caused = true;
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Attach the source line `self.line` taken from the file's full text.
    pub fn with_source(mut self, text: &str) -> Self {
        if self.line > 0 {
            self.source_line = text
                .lines()
                .nth(self.line - 1)
                .map(|l| l.trim_end_matches('\r').to_string());
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn location(&self) -> String {
        let p = display_path(&self.path);
        match (self.line, self.col) {
            (0, _) => p,
            (l, 0) => format!("{p}:{l}"),
            (l, c) => format!("{p}:{l}:{c}"),
        }
    }

    /// Human format: `path:line:col: error: message`, the source line with a caret, `help: ...`.
    pub fn render_human(&self) -> String {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!("{}: {sev}: {}\n", self.location(), self.message);
        if let Some(src) = &self.source_line {
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{num} | {src}");
            if self.col > 0 {
                // Keep tabs so the caret lines up under the same character.
                let lead: String = src
                    .chars()
                    .take(self.col - 1)
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                let _ = writeln!(out, "{pad} | {lead}^");
            }
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "  = help: {help}");
        }
        out
    }

    /// One JSON object on one line (for editors and CI).
    pub fn render_json(&self) -> String {
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
    pub fn render_github(&self) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut msg = self.message.clone();
        if let Some(h) = &self.help {
            msg.push_str("\nhelp: ");
            msg.push_str(h);
        }
        let esc = |s: &str| {
            s.replace('%', "%25")
                .replace('\r', "%0D")
                .replace('\n', "%0A")
        };
        let prop = |s: &str| esc(s).replace(':', "%3A").replace(',', "%2C");
        let mut out = format!("::{kind} file={}", prop(&display_path(&self.path)));
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
pub fn display_path(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Sort diagnostics root causes first (those not [`Diagnostic::caused`]), then by path, line,
/// column and message, and drop exact duplicates.
pub fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| {
        (a.caused, &a.path, a.line, a.col, a.severity, &a.message)
            .cmp(&(b.caused, &b.path, b.line, b.col, b.severity, &b.message))
    });
    diags.dedup();
}

/// Output format for diagnostics (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    #[default]
    Human,
    Json,
    Github,
}

pub fn render_all(diags: &[Diagnostic], format: Format) -> String {
    let mut out = String::new();
    for d in diags {
        match format {
            Format::Human => {
                out.push_str(&d.render_human());
                out.push('\n');
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
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    crate::util::edit_distance(&a, &b, usize::MAX).unwrap_or(usize::MAX)
}

/// The closest candidate within a small edit distance, for "did you mean `x`?".
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
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
}
