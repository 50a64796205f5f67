//! The theme's own words per language: `i18n/<lang>.yaml` of the theme (`themes/lmp/i18n/es.yaml`),
//! each key overridable by the site's `site/i18n/<lang>.yaml`. Templates read them as `t.KEY` (the
//! page's language); dates and numbers are formatted with them here. Every key a template uses
//! or the theme's files define must exist in every language of the site: a missing one is an
//! error naming the key and the language.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::config::declared_at;
use crate::diagnostics::{Diagnostic, suggest};
use crate::util::Date;
use crate::yaml::{self, Yaml};

/// One language's strings: key → text.
pub(crate) type Strings = BTreeMap<String, String>;

/// Every language's strings, and where each came from.
#[derive(Debug, Default, Clone)]
pub(crate) struct Catalog {
    /// language code → its strings (the site's over the theme's).
    pub langs: BTreeMap<String, Strings>,
    /// language code → the files read, the theme's then the site's.
    pub files: BTreeMap<String, Vec<PathBuf>>,
    /// Every key the templates use, with its first use (template path, line, column).
    pub used: BTreeMap<String, (PathBuf, usize, usize)>,
    /// The strings the site's files (`site/i18n/<lang>.yaml`) give: (language, key) → where
    /// (path, line, column of the value) and the theme's text it replaces, if any.
    site: BTreeMap<(String, String), SiteString>,
    /// Whether the files added from now on are the site's (see [`Catalog::start_site`]).
    adding_site: bool,
    /// Keys a site's file may give though the theme has none, each optional in every language
    /// (see [`Catalog::allow`]): the labels of the site's own collections.
    allowed: BTreeSet<String>,
}

#[derive(Debug, Clone)]
struct SiteString {
    path: PathBuf,
    line: usize,
    /// The column of the key (where an unknown key is wrong) and of its value (where an empty
    /// text is).
    key_col: usize,
    col: usize,
    /// The text of its line, shown under the message.
    source: String,
    theme: Option<String>,
}

static EMPTY: Strings = Strings::new();

/// Where a template uses a string: its path, line and column.
type Place<'a> = (&'a Path, usize, usize);

impl Catalog {
    /// Add the strings of one file (`code` from its name); later files override earlier ones.
    pub(crate) fn add(&mut self, code: &str, path: &Path, text: &str, diags: &mut Vec<Diagnostic>) {
        // A byte order mark (Notepad's "UTF-8 with BOM") is not text: not the indentation of
        // the first line (hostile pass s24), nor a column of it.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let map = match yaml::parse(text) {
            Ok(Yaml::Map(m)) => m,
            Ok(Yaml::Null) => Vec::new(),
            Ok(other) => {
                diags.push(
                    Diagnostic::error(
                        path,
                        1,
                        1,
                        format!(
                            "a strings file must be a mapping of keys to text, found {}",
                            other.type_name()
                        ),
                    )
                    .with_help("write one `key: text` per line, e.g. `on_this_page: On this page`"),
                );
                return;
            }
            Err(e) => {
                // The same plain words as front matter (QA Q11).
                let x = yaml::explain(text, &e);
                let (message, help) = if e.is_valid_yaml() {
                    // A merge key (`<<: *base`) is valid YAML that lmp does not read: not
                    // "invalid YAML" (session 24), and what to write is strings, not fields.
                    (
                        x.message
                            .replace("the fields it would copy", "the strings it would copy"),
                        merge_help(&e.message),
                    )
                } else {
                    (format!("invalid YAML: {}", x.message), x.help)
                };
                diags.push(
                    Diagnostic::error(path, x.line.max(1), x.col, message)
                        .with_source(text)
                        .with_help(help),
                );
                return;
            }
        };
        let positions = yaml::key_positions(text);
        let site = self.adding_site;
        let strings = self.langs.entry(code.to_string()).or_default();
        for (key, value) in map {
            let text_of = match &value {
                Yaml::Str(s) => Some(s.clone()),
                Yaml::Int(n) => Some(n.to_string()),
                _ => None,
            };
            match text_of {
                Some(s) => {
                    if site {
                        let (line, key_col, col) = positions
                            .iter()
                            .find(|(k, ..)| *k == key)
                            .map_or((1, 1, 1), |(_, l, c, vc)| (*l, *c, *vc));
                        self.site.insert(
                            (code.to_string(), key.clone()),
                            SiteString {
                                path: path.to_path_buf(),
                                line,
                                key_col,
                                col,
                                source: text.lines().nth(line - 1).unwrap_or("").to_string(),
                                theme: strings.get(&key).cloned(),
                            },
                        );
                    }
                    strings.insert(key, s);
                }
                None => {
                    let (l, _, vc) = positions
                        .iter()
                        .find(|(k, ..)| *k == key)
                        .map(|(_, l, c, vc)| (*l, *c, *vc))
                        .unwrap_or((1, 1, 1));
                    diags.push(
                        Diagnostic::error(
                            path,
                            l,
                            vc,
                            format!(
                                "the string `{key}` must be text, found {}",
                                value.type_name()
                            ),
                        )
                        .with_source(text)
                        .with_help(match value {
                            // `related:` with nothing after it (hostile pass s24).
                            Yaml::Null => format!(
                                "write the text after `{key}:` on the same line, or delete the line to keep the theme's"
                            ),
                            _ => "write the text on one line, in quotes: `key: \"text\"`"
                                .to_string(),
                        }),
                    );
                }
            }
        }
        self.files
            .entry(code.to_string())
            .or_default()
            .push(path.to_path_buf());
    }

    /// The files added from now on are the site's, which override the theme's: a key the theme
    /// does not have, or a blank text for one it has, is a mistake there (see [`Catalog::check`]).
    pub(crate) fn start_site(&mut self) {
        self.adding_site = true;
    }

    /// Let the site's files give `keys` though the theme has none of them: the labels of the
    /// collections config.yaml adds (`label_newsletters`, `plural_newsletters`), which the
    /// theme cannot know, in each language (otherwise config's, in every language). Each is
    /// optional: no language needs it.
    pub(crate) fn allow(&mut self, keys: impl IntoIterator<Item = String>) {
        self.allowed.extend(keys);
    }

    /// The strings of a language (none when it has no file).
    pub(crate) fn of(&self, code: &str) -> &Strings {
        self.langs.get(code).unwrap_or(&EMPTY)
    }

    /// Every key the theme's templates use (`t.KEY`, with where) or a strings file defines must
    /// exist in every one of `langs`: one error per language that lacks some (at the template
    /// for a single key a template uses, else at the language's file, naming the first few).
    /// A site's string that the theme does not have and no template uses is an error at its
    /// line, with a "did you mean"; a blank one that replaces a theme's text is an error too.
    pub(crate) fn check(&self, langs: &[String], site_dir: &Path) -> Vec<Diagnostic> {
        let used = &self.used;
        let mut diags = Vec::new();
        // Hostile pass s24: a site's strings file of a language the site does not declare
        // (`site/i18n/fr.yaml`, `sp.yaml`) was not used, without a word.
        let site_i18n = site_dir.join("i18n");
        for (code, files) in &self.files {
            if langs.contains(code) {
                continue;
            }
            for f in files.iter().filter(|f| f.starts_with(&site_i18n)) {
                let declared = langs.iter().map(String::as_str);
                let help = match crate::config::country_not_language(code)
                    .map(|(c, _)| c)
                    .filter(|c| langs.iter().any(|l| l == c))
                    .or_else(|| suggest(code, declared))
                {
                    Some(meant) => format!(
                        "did you mean `{meant}`? rename the file to {meant}.yaml (the languages of this site are {})",
                        langs.join(", ")
                    ),
                    None => format!(
                        "to translate the site into it, add `{code}: {{name: …}}` under `languages:` in config.yaml; otherwise remove the file (the languages of this site are {})",
                        langs.join(", ")
                    ),
                };
                diags.push(
                    Diagnostic::warning(
                        f,
                        0,
                        0,
                        format!("`{code}` (from the file name) is not a language of this site: this file is not used"),
                    )
                    .with_help(help),
                );
            }
        }
        // Keys only the site's files give, that no template reads: typos.
        let theme_keys: BTreeSet<&String> = self
            .langs
            .iter()
            .flat_map(|(code, s)| {
                s.keys().filter(move |k| {
                    self.site
                        .get(&(code.clone(), (*k).clone()))
                        .is_none_or(|e| e.theme.is_some())
                })
            })
            .collect();
        let unknown: BTreeSet<&String> = self
            .site
            .iter()
            .filter(|((_, key), e)| {
                e.theme.is_none()
                    && !theme_keys.contains(key)
                    && !used.contains_key(key)
                    && !self.allowed.contains(key)
            })
            .map(|((_, key), _)| key)
            .collect();
        for ((code, key), e) in &self.site {
            let text = self.of(code).get(key).map_or("", String::as_str);
            if unknown.contains(key) {
                let known = theme_keys
                    .iter()
                    .map(|k| k.as_str())
                    .chain(used.keys().map(String::as_str))
                    .chain(self.allowed.iter().map(String::as_str));
                let help = match suggest(key, known) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!(
                        "the theme's strings are the keys of its i18n/{code}.yaml; a string for a template of the site needs a `t.{key}` in that template"
                    ),
                };
                // QA s11: at the key, which is what is wrong (it was at the value).
                diags.push(
                    Diagnostic::error(
                        &e.path,
                        e.line,
                        e.key_col,
                        format!("unknown theme string `{key}`"),
                    )
                    .with_source_line(&e.source)
                    .with_help(help),
                );
            } else if let Some(d) = placeholders_differ(code, key, text, e, || {
                langs
                    .first()
                    .and_then(|d| self.of(d).get(key))
                    .map(String::as_str)
            }) {
                diags.push(d);
            } else if text.trim().is_empty()
                && let Some(theme) = e.theme.as_deref().filter(|t| !t.trim().is_empty())
            {
                diags.push(
                    Diagnostic::error(
                        &e.path,
                        e.line,
                        e.col,
                        format!("the theme string `{key}` is empty"),
                    )
                    .with_source_line(&e.source)
                    .with_help(format!(
                        "give it a text, or remove the line to keep the theme's (\"{theme}\")"
                    )),
                );
            }
        }
        let defined: BTreeSet<&String> = self
            .langs
            .values()
            .flat_map(|s| s.keys())
            .filter(|k| !unknown.contains(k) && !self.allowed.contains(*k))
            .collect();
        if used.is_empty() && defined.is_empty() {
            return diags;
        }
        let default = langs.first().map_or("en", String::as_str);
        for code in langs {
            let have = self.of(code);
            let fix = site_dir.join("i18n").join(format!("{code}.yaml"));
            // A language with no strings file at all: one error where it is declared, not one
            // per string.
            if !self.langs.contains_key(code) {
                let config = crate::config::ConfigFile::read(site_dir);
                let text = config.text();
                let at = declared_at(text, "languages", code)
                    .or_else(|| {
                        yaml::key_positions(text)
                            .iter()
                            .find(|(k, ..)| k == "languages")
                            .map(|(_, l, c, _)| (*l, *c))
                    })
                    .unwrap_or((1, 1));
                let mut keys: Vec<&str> = used
                    .keys()
                    .map(String::as_str)
                    .chain(defined.iter().map(|k| k.as_str()))
                    .collect();
                keys.sort_unstable();
                keys.dedup();
                let first: Vec<&str> = keys.iter().copied().take(4).collect();
                diags.push(
                    config
                        .error(
                            at,
                            format!(
                                "the theme has no words in language `{code}`: its {} strings (menus, headings, dates) are missing",
                                keys.len()
                            ),
                        )
                    .with_help(match self.files.get(default).and_then(|f| f.first()) {
                        // An installed lmp has its theme inside: it prints the file (QA Q37).
                        Some(en) if !en.starts_with("<built-in theme>") => format!(
                            "create {} with one `key: text` line for each of the theme's strings ({}, …): copy {} and translate it",
                            crate::diagnostics::display_path(&fix),
                            first.join(", "),
                            crate::diagnostics::display_path(en)
                        ),
                        _ => format!(
                            "create {} with one `key: text` line for each of the theme's strings ({}, …): `lmp strings {default} > {}` writes the theme's `{default}` ones there; then translate each text",
                            crate::diagnostics::display_path(&fix),
                            first.join(", "),
                            crate::diagnostics::display_path(&fix)
                        ),
                    }),
                );
                continue;
            }
            // The keys this language lacks: a key a template uses, with the template's place;
            // a key only the strings files give, without.
            let mut missing: Vec<(&str, Option<Place<'_>>)> = Vec::new();
            for (key, (path, line, col)) in used {
                // A key no language has, close to one the default language has: a typo in the
                // template (QA s11: `t.foter` said "add `foter: ...` to site/i18n/en.yaml", once
                // per language). One error, at the template, with the key meant.
                let typo = langs
                    .iter()
                    .all(|c| !self.of(c).contains_key(key))
                    .then(|| suggest(key, self.of(default).keys().map(String::as_str)))
                    .flatten();
                if let Some(meant) = typo {
                    if code == default {
                        diags.push(
                            Diagnostic::error(
                                path,
                                *line,
                                *col,
                                format!("the theme has no string `{key}`"),
                            )
                            .with_help(format!(
                                "did you mean `t.{meant}`? (A string of the site's own needs `{key}: ...` in site/i18n/<language>.yaml for each of its languages)"
                            )),
                        );
                    }
                    continue;
                }
                if !have.contains_key(key) {
                    missing.push((key, Some((path, *line, *col))));
                }
            }
            for key in defined.iter().filter(|k| !used.contains_key(k.as_str())) {
                if !have.contains_key(key.as_str()) {
                    missing.push((key, None));
                }
            }
            // At the language's own file, the one to add them to (the site's, else the
            // theme's): not at the first file read, the built-in theme's English one, which an
            // editor cannot open (session 12).
            let file = self
                .files
                .get(code)
                .and_then(|f| f.last())
                .cloned()
                .unwrap_or_else(|| fix.clone());
            let add_to = crate::diagnostics::display_path(&fix);
            match missing.as_slice() {
                [] => {}
                [(key, at)] => {
                    let (path, line, col) = at.unwrap_or((&file, 1, 1));
                    diags.push(
                        Diagnostic::error(
                            path,
                            line,
                            col,
                            format!("the theme string `{key}` is missing for language `{code}`"),
                        )
                        .with_help(format!(
                            "add `{key}: ...` to {add_to} (or to the theme's i18n/{code}.yaml)"
                        )),
                    );
                }
                _ => {
                    // QA s12: a partial `site/i18n/fr.yaml` made one error per missing key
                    // (~200 for a file with a few lines): one error for the file, naming the
                    // first few and how to add them all.
                    missing.sort_unstable_by_key(|(k, _)| *k);
                    let shown: Vec<String> = missing
                        .iter()
                        .take(5)
                        .map(|(k, _)| format!("`{k}`"))
                        .collect();
                    let more = match missing.len() - shown.len() {
                        0 => String::new(),
                        n => format!(" and {n} more"),
                    };
                    let english = self.files.get(default).and_then(|f| f.last());
                    let how = match english {
                        // An installed lmp has its theme inside: it prints the lines (QA Q37).
                        Some(en) if !en.starts_with("<built-in theme>") => format!(
                            "add a `key: text` line for each, translated: copy their lines from {} into {add_to} and translate each text",
                            crate::diagnostics::display_path(en)
                        ),
                        _ => format!(
                            "add a `key: text` line for each, translated: `lmp strings {default} --missing {add_to} >> {add_to}` adds the missing ones with their `{default}` text to the end of the file; then translate each text"
                        ),
                    };
                    diags.push(
                        Diagnostic::error(
                            &file,
                            1,
                            1,
                            format!(
                                "{} theme strings are missing for language `{code}`: {}{more}",
                                missing.len(),
                                shown.join(", ")
                            ),
                        )
                        .with_help(how),
                    );
                }
            }
        }
        diags
    }
}

/// The `{name}`s of a theme string (`{day} de {month} de {year}`), in order, each once.
fn placeholders(text: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find('{') {
        rest = &rest[i + 1..];
        let Some(j) = rest.find('}') else { break };
        let name = &rest[..j];
        // Any letters (a translator may translate the names: `{día}`, `{يوم}`).
        if !name.is_empty()
            && name.chars().count() <= 40
            && name.chars().all(|c| c.is_alphanumeric() || c == '_')
            && !out.contains(&name)
        {
            out.push(name);
        }
    }
    out
}

/// Hostile i18n s22: a site's string whose `{placeholders}` are not those lmp fills in for it
/// (the ones of the text it replaces, else of the default language's): `date_format: "{dia} de
/// {mes}"` published "{dia} de {mes}" as every date of the language, `date_format: hoy` "hoy",
/// without a word. One it does not know is an error at the value (lmp would print it as it is);
/// one it leaves out, a warning (a text for one, "un elemento", may leave out its `{count}`).
fn placeholders_differ<'a>(
    code: &str,
    key: &str,
    text: &str,
    e: &'a SiteString,
    default: impl FnOnce() -> Option<&'a str>,
) -> Option<Diagnostic> {
    let reference = e.theme.as_deref().or_else(default)?;
    let want = placeholders(reference);
    let have = placeholders(text);
    let braces = |names: &[&str]| {
        names
            .iter()
            .map(|n| format!("{{{n}}}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let unknown: Vec<&str> = have.iter().copied().filter(|n| !want.contains(n)).collect();
    if !unknown.is_empty() {
        let fills = match want.as_slice() {
            [] => format!("it has none: write `{key}` without `{{…}}`"),
            _ => format!(
                "lmp fills in {} in `{key}`, with these names in every language{}",
                braces(&want),
                match unknown.as_slice() {
                    [one] => suggest(one, want.iter().copied())
                        .map(|s| format!(": did you mean `{{{s}}}`?"))
                        .unwrap_or_default(),
                    _ => String::new(),
                }
            ),
        };
        // At the first one in the line (the key is ASCII: the value starts `col - 1` bytes in).
        let value = e.source.get(e.col.saturating_sub(1)..).unwrap_or("");
        let col = e.col
            + value
                .find(&format!("{{{}}}", unknown[0]))
                .map_or(0, |i| value[..i].chars().count());
        return Some(
            Diagnostic::error(
                &e.path,
                e.line,
                col,
                match unknown.len() {
                    1 => format!(
                        "{} in the theme string `{key}` ({code}) is not a value lmp fills in: it would be shown as it is",
                        braces(&unknown)
                    ),
                    _ => format!(
                        "{} in the theme string `{key}` ({code}) are not values lmp fills in: they would be shown as they are",
                        braces(&unknown)
                    ),
                },
            )
            .with_source_line(&e.source)
            .with_help(fills),
        );
    }
    let left_out: Vec<&str> = want.iter().copied().filter(|n| !have.contains(n)).collect();
    if left_out.is_empty() || text.trim().is_empty() {
        return None;
    }
    Some(
        Diagnostic::warning(
            &e.path,
            e.line,
            e.col,
            format!(
                "the theme string `{key}` ({code}) leaves out {}: the text it replaces (\"{reference}\") shows {}",
                braces(&left_out),
                if left_out.len() == 1 { "it" } else { "them" }
            ),
        )
        .with_source_line(&e.source)
        .with_help(format!(
            "write {} where {} in the text, or leave {} out on purpose",
            braces(&left_out),
            if left_out.len() == 1 { "it goes" } else { "they go" },
            if left_out.len() == 1 { "it" } else { "them" }
        )),
    )
}

/// The help for a merge key (`<<: *base`) in a strings file: each string written out, with the
/// strings it would have copied (after the NUL of the [`yaml::parse`] error's message).
fn merge_help(message: &str) -> String {
    let strings = message.split_once('\u{0}').map_or("", |(_, f)| f);
    let copied = if strings.is_empty() {
        String::new()
    } else {
        format!(" ({strings})")
    };
    format!(
        "write each string out in full on its own line{copied} and delete the `<<:` line; a string that is the same as the theme's needs no line at all: the theme's own file gives it"
    )
}

/// `lmp strings en --missing FILE`: the lines of `theme` (a theme's strings file) whose keys
/// `file` (a site's strings file, perhaps not written yet) lacks, each with the comment lines
/// above it, to append to `file` (a line break first when it does not end with one).
pub(crate) fn missing_lines(theme: &str, file: &Path) -> anyhow::Result<String> {
    let shown = crate::diagnostics::display_path(file);
    let text = if crate::fsx::exists(file) {
        crate::fsx::read_to_string(file)?
    } else {
        String::new()
    };
    let have: BTreeSet<String> = match yaml::parse(text.trim_start_matches('\u{feff}')) {
        Ok(Yaml::Map(m)) => m.into_iter().map(|(k, _)| k).collect(),
        Ok(Yaml::Null) => BTreeSet::new(),
        Ok(other) => anyhow::bail!(
            "{shown} holds {}, not `key: text` lines: `lmp check` says where",
            other.type_name()
        ),
        Err(e) => {
            let x = yaml::explain(&text, &e);
            let (invalid, help) = if e.is_valid_yaml() {
                ("", merge_help(&e.message))
            } else {
                ("invalid YAML: ", x.help)
            };
            anyhow::bail!(
                "{shown}:{}:{}: {invalid}{}; fix it first ({help})",
                x.line.max(1),
                x.col,
                x.message,
            )
        }
    };
    let mut out = String::new();
    if !text.is_empty() && !text.ends_with('\n') {
        out.push('\n');
    }
    let mut comments = String::new();
    // The file's own heading (the comment lines before its first key) is not a string's.
    let mut lines = theme
        .lines()
        .skip_while(|l| l.starts_with('#') || l.trim().is_empty());
    for line in lines.by_ref() {
        if line.starts_with('#') {
            comments.push_str(line);
            comments.push('\n');
            continue;
        }
        let key = line.split_once(':').map(|(k, _)| k.trim());
        if let Some(key) = key.filter(|k| !k.is_empty() && !line.starts_with(char::is_whitespace))
            && !have.contains(key)
        {
            out.push_str(&comments);
            out.push_str(line);
            out.push('\n');
        }
        comments.clear();
    }
    Ok(if out.trim().is_empty() {
        String::new()
    } else {
        out
    })
}

impl Catalog {
    /// Record the `t.KEY` uses of a template.
    pub(crate) fn scan_template(&mut self, path: &Path, text: &str) {
        for (key, line, col) in uses(text) {
            self.used
                .entry(key)
                .or_insert((path.to_path_buf(), line, col));
        }
    }
}

/// The `t.KEY` uses inside `{{ … }}` and `{% … %}` of a template, with their line and column.
fn uses(text: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut inside = false;
    let mut i = 0;
    while i + 1 < bytes.len() {
        let two = &bytes[i..i + 2];
        if two == b"{{" || two == b"{%" {
            inside = true;
            i += 2;
            continue;
        }
        if two == b"}}" || two == b"%}" {
            inside = false;
            i += 2;
            continue;
        }
        let boundary = i == 0
            || !(bytes[i - 1].is_ascii_alphanumeric()
                || bytes[i - 1] == b'_'
                || bytes[i - 1] == b'.');
        if inside && boundary && two == b"t." {
            let rest = &text[i + 2..];
            let key: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !key.is_empty() {
                let line = text[..i].matches('\n').count() + 1;
                let col = text[..i]
                    .rsplit('\n')
                    .next()
                    .map_or(0, |l| l.chars().count())
                    + 1;
                out.push((key, line, col));
            }
        }
        i += 1;
    }
    out
}

/// The month of a date in a language, for figures given for a month (a region's `as_of`: the
/// sources say "as of June 2021", the figures of a month, not of its last day): its
/// `month_year_format` (`{month} {year}`, `{month} de {year}`) with its month names; the whole
/// date ([`date`]) when it has none.
pub(crate) fn month_year(d: Date, s: &Strings) -> String {
    let month = s.get(&format!("month_{}", d.month));
    match (s.get("month_year_format"), month) {
        (Some(f), Some(m)) => f
            .replace("{month}", m)
            .replace("{year}", &d.year.to_string()),
        _ => date(d, s),
    }
}

/// A date in a language: its `date_format` (`{month} {day}, {year}`, `{day} de {month} de
/// {year}`) with its month names (`month_1` … `month_12`); ISO when it has none.
pub(crate) fn date(d: Date, s: &Strings) -> String {
    let month = s.get(&format!("month_{}", d.month));
    match (s.get("date_format"), month) {
        (Some(f), Some(m)) => f
            .replace("{day}", &d.day.to_string())
            .replace("{month}", m)
            .replace("{year}", &d.year.to_string()),
        _ => d.display(),
    }
}

/// A whole number with the language's `thousands_separator` (`1,347`; `1 347`).
pub(crate) fn number(n: i64, s: &Strings) -> String {
    let en = crate::util::thousands(n);
    match s.get("thousands_separator") {
        Some(sep) if sep != "," => en.replace(',', sep),
        _ => en,
    }
}

/// A whole number of millions, to a tenth, in a language's `millions` words (`4.7 million`,
/// `4,7 millones`, with its `decimal_separator`); `None` for a number that is not a whole number
/// of hundred thousands from a million up, or a language without `millions`.
pub(crate) fn millions(n: i64, s: &Strings) -> Option<String> {
    if n < 1_000_000 || n % 100_000 != 0 {
        return None;
    }
    let (whole, tenth) = (n / 1_000_000, n / 100_000 % 10);
    let n = match tenth {
        0 => whole.to_string(),
        t => {
            let sep = s.get("decimal_separator").map_or(".", String::as_str);
            format!("{whole}{sep}{t}")
        }
    };
    Some(s.get("millions")?.replace("{n}", &n))
}

/// A region's member count in words (`members_display`) on a page in `lang` whose text is in
/// another language (`text_lang`, as `lang_of` marks it: a region not translated, or a
/// translation inheriting it): when the text is the one that language writes for `members`
/// (`4.7 million` for 4,700,000), the same figure in the page's language (`4,7 millones`), so a
/// Spanish reader does not get "4.7 million" read with an English voice; else `None` (the
/// editor's own words, such as "more than 688,000", stay as written and marked).
pub(crate) fn members_in(
    display: &str,
    members: Option<i64>,
    text_lang: &Strings,
    page_lang: &Strings,
) -> Option<String> {
    let n = members?;
    (millions(n, text_lang)?.eq_ignore_ascii_case(display.trim()))
        .then(|| millions(n, page_lang))
        .flatten()
}

/// A file size in a language: `240 kB`, `1.5 MB` (`1,5 MB` with `decimal_separator: ","`).
pub(crate) fn size(bytes: u64, s: &Strings) -> String {
    let en = crate::util::human_size(bytes);
    match s.get("decimal_separator") {
        // Megabytes have a decimal (999,999 bytes are "1.0 MB" too: QA Q33).
        Some(sep) if sep != "." && en.ends_with(" MB") => en.replacen('.', sep, 1),
        _ => en,
    }
}

/// A file's type in a language (`PDF`, `Word document`, `Documento de Word`): the language's
/// `file_<kind>` string for the kinds that are words, the English name otherwise.
pub(crate) fn file_type(name: &str, s: &Strings) -> String {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let key = match ext.as_str() {
        "txt" => "file_text",
        "md" => "file_markdown",
        "doc" | "docx" => "file_word",
        "xls" | "xlsx" => "file_excel",
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "svg" => "file_image",
        "zip" => "file_zip",
        "" => "file_file",
        _ => "",
    };
    match s.get(key) {
        Some(word) if !word.is_empty() => word.clone(),
        _ => crate::util::file_type(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_is_found_where_it_is_declared() {
        let block = "title: X\nlanguages:\n  en: {name: English}\n  # fr: no\n\n  es:\n    name: Español\n  fr: {name: Français}\nmenu: []\n";
        assert_eq!(declared_at(block, "languages", "fr"), Some((8, 3)));
        assert_eq!(declared_at(block, "languages", "es"), Some((6, 3)));
        assert_eq!(declared_at(block, "languages", "name"), None);
        assert_eq!(declared_at(block, "languages", "de"), None);
        let flow = "languages: {en: {name: English}, fr: {name: Français}}\n";
        assert_eq!(declared_at(flow, "languages", "fr"), Some((1, 34)));
        assert_eq!(declared_at(flow, "languages", "name"), None);
        assert_eq!(declared_at("menu: []\n", "languages", "fr"), None);
    }

    #[test]
    fn template_uses() {
        let u = uses(
            "<h2>{{ t.on_this_page }}</h2>\n{% if x %}{{ t.related|upper }}{% endif %} t.not_in_tags {{ at.x }}",
        );
        assert_eq!(
            u,
            vec![
                ("on_this_page".to_string(), 1, 8),
                ("related".to_string(), 2, 14)
            ]
        );
    }

    #[test]
    fn dates_and_numbers() {
        let mut es = Strings::new();
        es.insert("date_format".into(), "{day} de {month} de {year}".into());
        es.insert("month_6".into(), "junio".into());
        es.insert("thousands_separator".into(), "\u{a0}".into());
        let d = Date {
            year: 2017,
            month: 6,
            day: 1,
        };
        assert_eq!(date(d, &es), "1 de junio de 2017");
        assert_eq!(number(258000, &es), "258\u{a0}000");
        assert_eq!(number(258000, &Strings::new()), "258,000");
        es.insert("decimal_separator".into(), ",".into());
        assert_eq!(size(1_500_000, &es), "1,5 MB");
        assert_eq!(size(240_000, &es), "240 kB");
        assert_eq!(size(999_999, &es), "1,0 MB");
        assert_eq!(size(999_499, &es), "999 kB");
        assert_eq!(size(1_500_000, &Strings::new()), "1.5 MB");
        let mut en = Strings::new();
        en.insert("millions".into(), "{n} million".into());
        es.insert("millions".into(), "{n} millones".into());
        assert_eq!(millions(4_700_000, &en).as_deref(), Some("4.7 million"));
        assert_eq!(millions(4_700_000, &es).as_deref(), Some("4,7 millones"));
        assert_eq!(millions(2_000_000, &es).as_deref(), Some("2 millones"));
        assert_eq!(millions(4_750_000, &es), None);
        assert_eq!(millions(700_000, &es), None);
        assert_eq!(millions(4_700_000, &Strings::new()), None);
        assert_eq!(
            members_in("4.7 million", Some(4_700_000), &en, &es).as_deref(),
            Some("4,7 millones")
        );
        assert_eq!(
            members_in("about 4.7 million", Some(4_700_000), &en, &es),
            None
        );
        assert_eq!(members_in("4.5 million", Some(4_700_000), &en, &es), None);
        assert_eq!(members_in("4.7 million", None, &en, &es), None);
        es.insert("file_word".into(), "Documento de Word".into());
        assert_eq!(file_type("x.DOCX", &es), "Documento de Word");
        assert_eq!(file_type("x.pdf", &es), "PDF");
        assert_eq!(file_type("x.docx", &Strings::new()), "Word document");
    }
}
