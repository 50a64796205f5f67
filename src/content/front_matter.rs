//! Front matter: split a document into its YAML block and markdown body (keeping line offsets so
//! every diagnostic points into the file, not into the block), then check the YAML against the
//! collection's schema, collecting every problem, and produce the normalised values the typed
//! structs are deserialised from.

use std::path::Path;

use serde_json::{Map, Value};

use super::collections::{Collection, Field, FieldType};
use crate::diagnostics::{Diagnostic, suggest};
use crate::util::{Date, slugify};
use crate::yaml::{self, Yaml};

/// A document split into front matter and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Split<'a> {
    pub front_matter: &'a str,
    /// 1-based line of the first line of the front matter (the line after `---`).
    pub fm_line: usize,
    /// Byte offset of the body in the text.
    pub body_start: usize,
    /// 1-based line of the first line of the body.
    pub body_line: usize,
}

/// Split `---\nyaml\n---\nbody`. A leading BOM is ignored; CRLF works.
pub(crate) fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let t = &text[start..];
    if t.trim().is_empty() {
        return Err(
            Diagnostic::error(path, 1, 1, "the file is empty").with_help(
                "start it with front matter: a `---` line, `title: ...`, and another `---` line",
            ),
        );
    }
    let first_line_end = t.find('\n').map(|i| i + 1).unwrap_or(t.len());
    if t[..first_line_end].trim_end() != "---" {
        // QA Q61: Hugo's TOML front matter, and empty lines before the `---`.
        let first = t[..first_line_end].trim();
        let blank = t.lines().take_while(|l| l.trim().is_empty()).count();
        let help = if t.contains('\r') && !t.contains('\n') {
            // QA Q91: old-Mac line endings: the whole file is one line.
            "the file's lines end with CR only (old Mac line endings), so lmp sees one long line: save it with ordinary (LF or CRLF) line endings".to_string()
        } else if let Some(h) = dash_lookalike(first) {
            h
        } else if first == "+++" {
            "this is TOML front matter (Hugo's `+++`): lmp reads YAML between `---` lines: write `---`, then `title: \"…\"` (a colon, not ` = `) for each field, then `---`".to_string()
        } else if blank > 0 && t.lines().nth(blank).is_some_and(|l| l.trim_end() == "---") {
            format!(
                "remove the {} before the first `---`: front matter must start on the first line",
                if blank == 1 {
                    "empty line".to_string()
                } else {
                    format!("{blank} empty lines")
                }
            )
        } else {
            "the first line must be `---`, followed by fields like `title: ...` and a closing `---` line".to_string()
        };
        return Err(
            Diagnostic::error(path, 1, 1, "the file does not start with front matter")
                .with_help(help)
                .with_source(text),
        );
    }
    let fm_from = start + first_line_end;
    let mut pos = fm_from;
    let mut line = 2;
    // A line that was most likely meant to close the front matter (QA Q84, Q83).
    let mut near: Option<(usize, String)> = None;
    while pos < text.len() {
        let end = text[pos..]
            .find('\n')
            .map(|i| pos + i + 1)
            .unwrap_or(text.len());
        // Spaces after the closing dashes are allowed (QA Q61: some editors leave them; Jekyll
        // and Hugo accept them, and the opening line already allowed them).
        let l = text[pos..end].trim_end();
        if near.is_none() {
            if l.len() > 3 && l.bytes().all(|b| b == b'-') {
                near = Some((
                    line,
                    format!(
                        "line {line} has {} dashes: the closing line is exactly three, `---`",
                        l.len()
                    ),
                ));
            } else if let Some(h) = dash_lookalike(l) {
                near = Some((line, format!("line {line}: {h}")));
            }
        }
        if l == "---" || l == "..." {
            return Ok(Split {
                front_matter: &text[fm_from..pos],
                fm_line: 2,
                body_start: end,
                body_line: line + 1,
            });
        }
        pos = end;
        line += 1;
    }
    let (at, help) = near.unwrap_or((
        1,
        "add a line with only `---` after the last front matter field, before the text".to_string(),
    ));
    Err(
        Diagnostic::error(path, at, 1, "the front matter never closes")
            .with_help(help)
            .with_source(text),
    )
}

/// The help for a delimiter line typed with dashes that are not `-` (QA Q83: Word's AutoFormat
/// turns `---` into an em dash `—`).
fn dash_lookalike(line: &str) -> Option<String> {
    let l = line.trim();
    let named = |c: char| match c {
        '\u{2014}' => Some("an em dash `—`"),
        '\u{2013}' => Some("an en dash `–`"),
        '\u{2012}' | '\u{2015}' | '\u{2212}' | '\u{2e3a}' | '\u{2e3b}' => Some("a long dash"),
        _ => None,
    };
    let first = l.chars().find(|&c| c != '-')?;
    let what = named(first)?;
    l.chars()
        .all(|c| c == '-' || named(c).is_some())
        .then(|| format!("this line is {what}, not three hyphens (Word and Google Docs turn `---` into a dash): type three hyphens `---`"))
}

/// The help for a file path that is not a site path (QA Q67): a path on the author's computer,
/// backslashes, a missing leading `/`; with an example of the field's kind (a photo for
/// `image`, not a PDF).
fn site_path_help(field: &str, s: &str) -> String {
    let picture = field.contains("image") || field == "poster";
    let example = if picture {
        "/images/photo.jpg"
    } else {
        "/files/checklist.pdf"
    };
    // QA Q67: an address on the web (`/https://…` was proposed).
    if s.starts_with("https://") || s.starts_with("http://") {
        let name = s
            .split(['?', '#'])
            .next()
            .unwrap_or(s)
            .rsplit('/')
            .next()
            .filter(|n| !n.is_empty())
            .unwrap_or(if picture { "photo.jpg" } else { "file.pdf" });
        let folder = if picture { "images" } else { "files" };
        return format!(
            "`{field}` takes a file of this site: download it into site/static/{folder}/ and write `/{folder}/{name}`"
        );
    }
    let b = s.as_bytes();
    let on_computer = s.starts_with("file:")
        || (b.len() > 2
            && b[0].is_ascii_alphabetic()
            && b[1] == b':'
            && matches!(b[2], b'\\' | b'/'))
        || s.starts_with("/Users/")
        || s.starts_with("~/");
    if on_computer {
        let name = s.rsplit(['/', '\\']).next().unwrap_or(s);
        let folder = if picture { "images" } else { "files" };
        return format!(
            "this is a file on your computer: copy it into site/static/{folder}/ and write `/{folder}/{name}`"
        );
    }
    let fixed = format!("/{}", s.replace('\\', "/").trim_start_matches(['/', '.']));
    let fixed = fixed.strip_prefix("/static").unwrap_or(&fixed);
    if !s.contains("..") && fixed.len() > 1 {
        return format!(
            "did you mean `{fixed}`? Paths are written from site/static/, with `/` and a leading `/` (e.g. `{example}`)"
        );
    }
    format!("write the path under site/static/ starting with `/`, e.g. `{example}`")
}

/// Where each top-level key and its value are in the file (1-based, file coordinates).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Positions(Box<[(Box<str>, Place)]>);

/// (1-based line, key column, value column) of a front matter key.
pub(crate) type Place = (usize, usize, usize);

/// A sorted slice rather than a map: every document keeps its positions for its messages, and a
/// `BTreeMap`'s node took ~540 bytes a document whatever its number of keys (54 MB at 100,000
/// documents: session 12's heap profile).
impl Positions {
    /// (1-based line, key column, value column) of `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&Place> {
        self.0
            .binary_search_by(|(k, _)| (**k).cmp(key))
            .ok()
            .and_then(|i| self.0.get(i))
            .map(|(_, p)| p)
    }

    pub(crate) fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
}

/// As a map collects: a key given twice is where it was given last.
impl FromIterator<(String, Place)> for Positions {
    fn from_iter<I: IntoIterator<Item = (String, Place)>>(iter: I) -> Self {
        let mut v: Vec<(Box<str>, Place)> = iter
            .into_iter()
            .map(|(k, p)| (k.into_boxed_str(), p))
            .collect();
        // Stable: a repeated key's places stay in file order, and the last one is kept.
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                std::mem::swap(&mut later.1, &mut kept.1);
            }
            same
        });
        Positions(v.into_boxed_slice())
    }
}

/// Fields every collection accepts that do nothing on a home page: it is at its language's
/// prefix (`slug`) and in no list (`weight`). Each is an error there.
const HOME_IGNORES: [&str; 2] = ["slug", "weight"];

/// Parse and check front matter against the collection's schema. Returns the normalised values
/// (as JSON, for serde) and the key positions; or every diagnostic found.
pub(crate) fn check(
    path: &Path,
    text: &str,
    split: &Split<'_>,
    collection: Collection,
    schema: &[Field],
) -> (Option<(Value, Positions)>, Vec<Diagnostic>) {
    match check_all(path, text, split, collection, schema) {
        // Warnings (a date's time left out) leave the values good.
        (checked, diags) if !diags.iter().any(Diagnostic::is_error) => (checked, diags),
        (_, diags) => (None, diags),
    }
}

/// [`check`], returning the values that are valid even when others are not (`None` only when
/// the YAML does not parse into `key: value` pairs), so that the references of a file with
/// errors (regions, topics, files) are checked in the same run as its other errors.
pub(crate) fn check_all(
    path: &Path,
    text: &str,
    split: &Split<'_>,
    collection: Collection,
    schema: &[Field],
) -> (Option<(Value, Positions)>, Vec<Diagnostic>) {
    let offset = split.fm_line - 1;
    let at = |line: usize, col: usize, msg: String| {
        Diagnostic::error(path, line, col, msg).with_source(text)
    };
    let root = match yaml::parse(split.front_matter) {
        Ok(y) => y,
        Err(e) => {
            let x = yaml::explain(split.front_matter, &e);
            let line = if x.line == 0 {
                split.fm_line
            } else {
                x.line + offset
            };
            return (
                None,
                vec![
                    at(
                        line,
                        x.col,
                        if e.is_valid_yaml() {
                            format!("front matter: {}", x.message)
                        } else {
                            format!("invalid YAML in front matter: {}", x.message)
                        },
                    )
                    .with_help(x.help),
                ],
            );
        }
    };
    let map = match root {
        Yaml::Map(m) => m,
        Yaml::Null => Vec::new(),
        other => {
            return (
                None,
                vec![at(
                    split.fm_line,
                    1,
                    format!(
                        "front matter must be `key: value` lines, found {}",
                        other.type_name()
                    ),
                )],
            );
        }
    };
    let positions: Positions = yaml::key_positions(split.front_matter)
        .into_iter()
        .map(|(k, l, c, vc)| (k, (l + offset, c, vc)))
        .collect();
    let pos = |key: &str| positions.get(key).copied().unwrap_or((split.fm_line, 1, 1));
    let names: Vec<&str> = schema.iter().map(|f| f.name).collect();
    let mut diags = Vec::new();
    let mut out = Map::new();
    for (key, value) in &map {
        let (line, col, vcol) = pos(key);
        let Some(field) = schema.iter().find(|f| f.name == key) else {
            // Hostile tester s17: "unknown field `x` in home", "home accept: title, slug, …"
            // (`slug` and `weight` do nothing on a home page: see below).
            let home = collection == Collection::Home;
            let (within, accept) = match collection {
                Collection::Home => ("the home page".to_string(), "the home page accepts"),
                Collection::Research => ("research".to_string(), "research pages accept"),
                c => (c.name().to_string(), ""),
            };
            let names: Vec<&str> = names
                .iter()
                .copied()
                .filter(|n| !home || !HOME_IGNORES.contains(n))
                .collect();
            let mut d = at(line, col, format!("unknown field `{key}` in {within}"));
            // QA Q91: a key written in Spanish (`título:`) is told its name (`title:`); QA
            // Q107: a key from Hugo, Jekyll or WordPress (`description:`) is told lmp's.
            let spanish = crate::content::i18n::key_for_spanish(key, &names);
            let other = other_generators_name(key, &names);
            d = match (spanish, other, suggest(key, names.iter().copied())) {
                (Some(s), _, _) => d.with_help(format!(
                    "did you mean `{s}`? Keys are written in English in every language; the values are the translation's"
                )),
                (None, Some((meant, why)), _) => d.with_help(match meant {
                    Some(m) if map.iter().any(|(k, _)| k == m) => {
                        format!("{why}; this file has `{m}:` already: delete `{key}:`")
                    }
                    Some(m) => format!("did you mean `{m}`? {why}"),
                    None => why,
                }),
                (None, None, Some(s)) => d.with_help(format!("did you mean `{s}`?")),
                (None, None, None) if !accept.is_empty() => {
                    d.with_help(format!("{accept}: {}", names.join(", ")))
                }
                (None, None, None) => d.with_help(format!(
                    "{} accept: {}",
                    collection.name(),
                    names.join(", ")
                )),
            };
            diags.push(d);
            continue;
        };
        // Hostile tester s17: fields every collection accepts that do nothing on a home page
        // (of any language) were accepted and ignored.
        if collection == Collection::Home
            && HOME_IGNORES.contains(&key.as_str())
            && let Some((what, help)) = match key.as_str() {
                "slug" => Some((
                    "its address is its language's prefix (`/` for the site's main language, the `prefix:` of each other language in config.yaml)",
                    "remove `slug:`; to give this language's pages another address, change its `prefix:` in config.yaml",
                )),
                "weight" => Some((
                    "it orders the documents of a list, and a home page is in none",
                    "remove `weight:`",
                )),
                _ => None,
            }
        {
            diags.push(
                at(
                    line,
                    col,
                    format!("`{key}` does nothing on a home page: {what}"),
                )
                .with_help(help),
            );
            continue;
        }
        // QA Q87: what YAML does to an unquoted text value that the author did not mean: ` #…`
        // starts a comment (`title: Team #1 in the region` is "Team"), `!word`/`&word` are a
        // tag or an anchor and vanish, `1.10` is the number 1.1.
        let written = matches!(field.ty, FieldType::Str | FieldType::Text)
            .then(|| written_value(text, line, vcol))
            .flatten();
        if let Some(d) = written.and_then(|w| text_slip(key, w, value)) {
            diags.push(at(line, vcol + d.0, d.1).with_help(d.2));
            continue;
        }
        // QA Q68: `members: 1e6`, `0x10`, `99999999999999999999`: YAML reads numbers in forms
        // that no figure of the site is written in.
        if matches!(
            field.ty,
            FieldType::Int | FieldType::Count | FieldType::Year
        ) && matches!(value, Yaml::Int(_) | Yaml::Float(_))
            && let Some(w) = written_value(text, line, vcol)
            && let Some((msg, help)) = number_slip(w, value)
        {
            diags.push(at(line, vcol, format!("`{key}`: {msg}")).with_help(help));
            continue;
        }
        let as_written;
        let value = match (written, value) {
            (Some(w), Yaml::Int(_) | Yaml::Float(_) | Yaml::Bool(_)) => {
                as_written = Yaml::Str(w.to_string());
                &as_written
            }
            _ => value,
        };
        if matches!(value, Yaml::Null) {
            // QA Q87: `title: #1 team` — the `#` starts a YAML comment, so the value is empty.
            let written = text
                .lines()
                .nth(line.saturating_sub(1))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim())
                .filter(|v| v.starts_with('#') && v.len() > 1);
            let null_word = text
                .lines()
                .nth(line.saturating_sub(1))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim())
                .filter(|v| matches!(*v, "null" | "Null" | "NULL" | "~"));
            if let Some(v) = written {
                diags.push(
                    at(line, vcol, format!("`{key}` is empty: the `#` after `{key}: ` starts a comment, so the rest of the line is not read"))
                        .with_help(format!("put the value in quotes: `{key}: \"{}\"`", v.replace('"', "\\\""))),
                );
            } else if let Some(word) = null_word.filter(|_| field.required) {
                // `title: null`: YAML reads `null` (and `~`) as no value at all.
                diags.push(
                    at(line, vcol, format!("`{key}: {word}` is no value: YAML reads `{word}` as nothing, and {} need a `{key}`", collection.name()))
                        .with_help(format!(
                            "write the value, e.g. `{key}: {}` (in quotes if it is the word itself: `{key}: \"{word}\"`)",
                            field.ty.example()
                        )),
                );
            } else if field.required {
                diags.push(
                    at(line, vcol, format!("`{key}` is empty")).with_help(format!(
                        "write a value, e.g. `{key}: {}`",
                        field.ty.example()
                    )),
                );
            }
            continue;
        }
        // QA Q39/Q44: `audiences: []`, `title: "  "`, `summary: ""` do not give what a required
        // field asks for; a value of spaces only (`image_alt: " "`) is no text either (`""`
        // stays the decorative-picture marker).
        let blank = match value {
            Yaml::Str(v) if v.trim().is_empty() => field.required || !v.is_empty(),
            Yaml::List(l) => field.required && l.is_empty(),
            _ => false,
        };
        if blank {
            let (what, help) = match value {
                // QA Q39: the example was `audiences: []`, the value that failed.
                Yaml::List(_) => (
                    format!("`{key}` is an empty list"),
                    format!(
                        "{} need at least one: write `{key}: [some-slug]` with the slugs that fit (config.yaml lists topics, audiences and series; site/regions/ the regions)",
                        collection.name()
                    ),
                ),
                Yaml::Str(v) if !v.is_empty() && !field.required => (
                    format!("`{key}` is only spaces"),
                    if key == "image_alt" {
                        "describe the picture for people who cannot see it, or write `image_alt: \"\"` if it is purely decorative".to_string()
                    } else {
                        format!("write a value, or remove the `{key}:` line")
                    },
                ),
                _ => (
                    format!("`{key}` is empty"),
                    format!("write a value, e.g. `{key}: {}`", field.ty.example()),
                ),
            };
            diags.push(at(line, vcol, what).with_help(help));
            continue;
        }
        // QA Q104: a control character written as a YAML escape (`"line\vbreak"`, `\u000b`,
        // `\0`) reached the page and made the Atom feed invalid XML.
        if let Yaml::Str(v) = value
            && let Some((k, c)) = v.chars().enumerate().find(|&(_, c)| {
                (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
                    || crate::markdown::sanitize::bad_char(c)
            })
        {
            // At the escape that wrote it (hostile author s22).
            let (line, vcol) = yaml::quoted_places(text, line, vcol, v)
                .and_then(|p| p.get(k).copied())
                .unwrap_or((line, vcol));
            diags.push(
                at(
                    line,
                    vcol,
                    format!(
                        "`{key}` holds an invisible control character (U+{:04X}), which no page or feed can show",
                        c as u32
                    ),
                )
                .with_help("delete it: in a quoted value a `\\v`, `\\0` or `\\u…` escape writes one; pasted from PowerPoint or Word it is invisible, so retype the text around it"),
            );
            continue;
        }
        // Every bad alias of the list in one run, each at its own place; the good ones are
        // kept (the graph checks them against the site's pages in the same run).
        if field.ty == FieldType::Aliases
            && comma_list(key, value).is_ok()
            && let Ok(list) = list_of_strings(value)
        {
            let mut good = Vec::new();
            let mut bad = false;
            for a in &list {
                match normalize_alias(a) {
                    Ok(n) => good.push(n),
                    Err((msg, help)) => {
                        bad = true;
                        let (l, c) = item_pos(text, line, a).unwrap_or((line, vcol));
                        let mut d = at(l, c, format!("`{key}`: {msg}"));
                        if let Some(h) = help {
                            d = d.with_help(h);
                        }
                        diags.push(d);
                    }
                }
            }
            if bad {
                out.insert(key.clone(), Value::from(good));
                continue;
            }
        }
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy())
            .unwrap_or_default();
        match normalise(field, value, &stem) {
            Ok(v) => {
                // QA s9 Q132: `date: 2026-11-22T10:00:00-08:00` (Hugo's and WordPress's form)
                // was cut to its day without a word.
                if field.ty == FieldType::Date
                    && let Some(written) = as_text(value)
                    && let Some(time) = written
                        .trim()
                        .get(10..)
                        .map(|t| t.trim_start_matches(['T', 't', ' ']))
                        .filter(|t| !t.is_empty())
                    && let Some(day) = v.as_str()
                {
                    let shown =
                        crate::util::Date::parse(day).map_or(day.to_string(), |d| d.display());
                    diags.push(
                        Diagnostic::warning(
                            path,
                            line,
                            vcol,
                            format!(
                                "`{key}`: the time `{time}` is left out: lmp dates a page by its day, {shown}"
                            ),
                        )
                        .with_help(format!(
                            "write `{key}: {day}`; pages, lists, the feed and the sitemap show the day only, as it is written here (not converted to another time zone)"
                        ))
                        .with_source(text),
                    );
                }
                out.insert(key.clone(), v);
            }
            Err((msg, help)) => {
                // QA Q16: `-bargaining` on the line under `topics:` is reported on its own line.
                let (line, vcol) = msg
                    .strip_prefix('`')
                    .and_then(|m| m.split_once("` is not a list item"))
                    .and_then(|(item, _)| {
                        text.lines()
                            .enumerate()
                            .skip(line.saturating_sub(1))
                            .take(50)
                            .find(|(_, l)| l.trim_start().starts_with(item))
                            .map(|(i, l)| (i + 1, l.len() - l.trim_start().len() + 1))
                    })
                    .unwrap_or((line, vcol));
                let mut d = at(line, vcol, format!("`{key}`: {msg}"));
                if let Some(h) = help {
                    d = d.with_help(h);
                }
                diags.push(d);
            }
        }
    }
    // A required field missing because its key is misspelt (`sumary:`) is that typo's error
    // alone: its "did you mean" is the fix, "add `summary:`" would make two fields.
    let misspelt: Vec<&str> = map
        .iter()
        .filter(|(k, _)| !names.contains(&k.as_str()))
        .filter_map(|(k, _)| {
            crate::content::i18n::key_for_spanish(k, &names)
                .or_else(|| other_generators_name(k, &names).and_then(|(m, _)| m))
                .or_else(|| suggest(k, names.iter().copied()))
        })
        .collect();
    for field in schema.iter().filter(|f| f.required) {
        if !map.iter().any(|(k, _)| k == field.name) && !misspelt.contains(&field.name) {
            diags.push(
                Diagnostic::error(
                    path,
                    1,
                    1,
                    format!("missing required field `{}`", field.name),
                )
                .with_help(format!(
                    "{} need `{}`: add `{}: {}` to the front matter",
                    collection.name(),
                    field.name,
                    field.name,
                    field.ty.example()
                ))
                .with_source(text),
            );
        }
    }
    // Checks across fields.
    if out.contains_key("image")
        && !out.contains_key("image_alt")
        && !map.iter().any(|(k, _)| k == "image_alt")
    {
        let (line, col, _) = pos("image");
        diags.push(at(line, col, "`image` has no `image_alt`".into()).with_help(
            "add `image_alt:` describing the picture for people who cannot see it (or `image_alt: \"\"` only if it is purely decorative)",
        ));
    }
    if let (Some(Value::Number(hp)), Some(Value::Number(all))) =
        (out.get("high_performing_ubts"), out.get("ubts"))
        && hp.as_i64() > all.as_i64()
    {
        let (line, _, vcol) = pos("high_performing_ubts");
        diags.push(
            at(line, vcol, format!("`high_performing_ubts` ({hp}) is more than `ubts` ({all})"))
                .with_help("high-performing teams are counted among all unit-based teams: check both figures against the source"),
        );
    }
    // (`ubts` given with a bad value has its own error.)
    if out.contains_key("high_performing_ubts") && !map.iter().any(|(k, _)| k == "ubts") {
        let (line, col, _) = pos("high_performing_ubts");
        diags.push(
            at(
                line,
                col,
                "`high_performing_ubts` is given without `ubts`".into(),
            )
            .with_help("add `ubts:` (the number of unit-based teams)"),
        );
    }
    (Some((Value::Object(out), positions)), diags)
}

type Problem = (String, Option<String>);

/// QA Q71: the fields of [`crate::markdown::MARKDOWN_FIELDS`] that hold inline markdown keep
/// their plain text, and their markdown and place go to `common.marked` (rendered on the page,
/// their links checked at their line).
pub(crate) fn mark_inline_markdown(
    common: &mut super::collections::Common,
    positions: &Positions,
    source: &str,
) {
    for key in crate::markdown::MARKDOWN_FIELDS {
        let value = match key {
            "summary" => &mut common.summary,
            "image_caption" => &mut common.image_caption,
            _ => &mut common.image_credit,
        };
        let Some(text) = value.as_mut() else { continue };
        let Some(plain) = crate::markdown::plain_inline(text) else {
            continue;
        };
        let (line, _, vcol) = positions.get(key).copied().unwrap_or((1, 1, 1));
        // A quoted value's text starts after its quote.
        let quoted = source
            .lines()
            .nth(line.saturating_sub(1))
            .and_then(|l| l.chars().nth(vcol.saturating_sub(1)))
            .is_some_and(|c| c == '"' || c == '\'');
        let places = if quoted {
            crate::yaml::quoted_places(source, line, vcol, text).unwrap_or_default()
        } else {
            Vec::new()
        };
        common.marked.push(crate::markdown::MarkedField {
            key,
            markdown: std::mem::replace(text, plain),
            line,
            col: vcol + usize::from(quoted),
            places,
            inherited: false,
        });
    }
}

/// QA Q107: a field name from a Hugo, Jekyll or WordPress export (`description`, `tags`,
/// `featured_image`…) → the field lmp calls it (when this collection has it) and a sentence
/// saying so; `None` for a name that is no other generator's.
fn other_generators_name<'a>(key: &str, names: &[&'a str]) -> Option<(Option<&'a str>, String)> {
    let k = key.to_ascii_lowercase().replace('-', "_");
    let has = |f: &str| names.iter().copied().find(|n| *n == f);
    let (meant, why): (&str, String) = match k.as_str() {
        "description" | "excerpt" | "abstract" | "teaser" | "lead" | "lede" | "intro" => {
            ("summary", format!("lmp calls the short text shown under the title and on cards `summary`, not `{key}`"))
        }
        "tags" | "tag" | "categories" | "category" | "keywords" | "subjects" => (
            "topics",
            format!("lmp files pages under `topics` (the slugs listed in config.yaml), not `{key}`"),
        ),
        "lastmod" | "last_modified" | "modified" | "updated_at" | "date_modified"
        | "last_updated" | "updated_on" => (
            "updated",
            format!("lmp calls the date of the last change `updated`, not `{key}`"),
        ),
        "featured_image" | "featuredimage" | "cover" | "cover_image" | "thumbnail"
        | "banner" | "hero" | "hero_image" | "header_image" | "feature_image" | "images"
        | "og_image" | "photo" | "picture" => (
            "image",
            format!("lmp calls the lead picture `image` (a path under site/static/, with `image_alt`), not `{key}`"),
        ),
        // QA s8 Q114: the poster of a video page is its lead image.
        "poster" | "poster_image" | "video_poster" | "still" => (
            "image",
            format!("a video's poster (the picture shown before it plays) is its `image` (a path under site/static/, with `image_alt`), not `{key}`"),
        ),
        "alt" | "alt_text" | "image_alt_text" | "imagealt" => (
            "image_alt",
            format!("lmp calls the lead picture's description `image_alt`, not `{key}`"),
        ),
        "caption" => ("image_caption", format!("lmp calls the lead picture's caption `image_caption`, not `{key}`")),
        "credit" | "photo_credit" => ("image_credit", format!("lmp calls the lead picture's credit `image_credit`, not `{key}`")),
        "url" | "permalink" | "path" => (
            "aliases",
            format!("lmp makes the address from the file name (or `slug:`); to keep an old address working, list it under `aliases:`, e.g. `aliases: [/old/address/]`; `{key}` is not read"),
        ),
        "published" => (
            "draft",
            "lmp publishes every page that is not `draft: true`: write `draft: true` to hold it back, or delete `published:`".to_string(),
        ),
        "publishdate" | "pubdate" | "publish_at" | "date_published" => (
            "publish_date",
            format!("lmp calls the first day a page is published `publish_date`, not `{key}`"),
        ),
        "expirydate" | "expiry" | "expires" | "unpublishdate" => (
            "expiry_date",
            format!("lmp calls the last day a page is published `expiry_date`, not `{key}`"),
        ),
        "toc" | "showtoc" | "show_toc" | "table_of_contents" => {
            return Some((None, "lmp has no table-of-contents switch: delete it".into()));
        }
        "layout" | "type" | "template" => {
            return Some((
                None,
                "the folder decides the collection and its template (stories/, guides/…): delete it".into(),
            ));
        }
        // Issue 16 (audit s16): `lang: es` was "unknown field `lang`" and a list of fields, not
        // how a page says its language.
        "lang" | "language" | "locale" | "idioma" | "lengua" => {
            return Some((
                None,
                "a page's language comes from its file name: the Spanish translation of `x.md` is `x.es.md`, next to it (docs/translations.md); delete it".into(),
            ));
        }
        // QA s17: a translation written inline, as a map under its language's code (`es:` with
        // `title:`… under it), as some generators take it.
        "es" | "en" | "fr" | "pt" | "zh" | "vi" | "tl" | "ko" | "i18n" | "translation"
        | "spanish" | "espanol" | "español" => {
            return Some((
                None,
                "a translation is a file of its own, not a map in the original's front matter: the Spanish translation of `x.md` is `x.es.md`, next to it, with its own `title:`, `summary:` and text (`lmp new <collection> x --lang es` writes it; docs/translations.md); move these lines there".into(),
            ));
        }
        "translationkey" | "translation_key" | "translations" => (
            "translation_of",
            format!("a translation is tied to its original by its file name (`x.es.md` next to `x.md`), or, named otherwise, by `translation_of: x` (the original's file name without `.md`), not by `{key}`"),
        ),
        "comments" | "share" | "sharing" | "sitemap" | "menu_order" | "sticky" | "featured_image_alt" => {
            return Some((None, format!("`{key}` is from another site generator and lmp does not use it: delete it")));
        }
        _ => return None,
    };
    match has(meant) {
        Some(m) => Some((Some(m), why)),
        None => Some((
            None,
            format!("{why}; but this collection has no `{meant}`: delete it"),
        )),
    }
}

/// The value of a one-line plain (unquoted) scalar as written on line `line` (1-based, in
/// `text`) from character column `vcol`: `None` for a quoted, block, flow or empty value.
fn written_value(text: &str, line: usize, vcol: usize) -> Option<&str> {
    let l = text
        .lines()
        .nth(line.checked_sub(1)?)?
        .trim_end_matches('\r');
    let from = l.char_indices().nth(vcol.checked_sub(1)?).map(|(i, _)| i)?;
    let v = l.get(from..)?.trim_end();
    let first = v.chars().next()?;
    (!matches!(first, '"' | '\'' | '|' | '>' | '[' | '{' | '#')).then_some(v)
}

/// A whole number written other than with digits (QA Q68): the message and help.
fn number_slip(written: &str, value: &Yaml) -> Option<(String, String)> {
    let w = written.split(" #").next().unwrap_or(written).trim();
    let digits = w.strip_prefix('-').unwrap_or(w);
    let plain = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    if plain && w.parse::<i64>().is_ok() {
        return None;
    }
    let whole = match value {
        Yaml::Int(i) => Some(*i),
        Yaml::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(*f as i64),
        _ => None,
    };
    let too_big = plain || matches!(value, Yaml::Float(f) if f.abs() >= 9.0e15);
    Some(if too_big {
        (
            format!("`{w}` is too large for a figure"),
            "check the figure against its source: write the whole number with digits only".into(),
        )
    } else {
        (
            format!("`{w}` is not written with digits only"),
            match whole {
                Some(n) => format!("write `{n}`: figures are written with the digits 0–9 only"),
                None => "write a whole number with the digits 0–9 only".into(),
            },
        )
    })
}

/// A text value that YAML reads other than written (QA Q87): the column (0-based, from the
/// value) and the message and help of the error.
fn text_slip(key: &str, written: &str, value: &Yaml) -> Option<(usize, String, String)> {
    let quoted = |v: &str| format!("put the whole value in quotes: `{key}: {}`", yaml::quote(v));
    let read = |v: &Yaml| match v {
        Yaml::Str(s) => format!("`{s}`"),
        _ => "empty".to_string(),
    };
    // ` #` (or a tab before `#`) starts a comment in YAML.
    if let Some(i) = written
        .char_indices()
        .find(|&(i, c)| c == '#' && written[..i].ends_with([' ', '\t']))
        .map(|(i, _)| i)
    {
        let comment = &written[i..];
        return Some((
            written[..i].chars().count(),
            format!(
                "`{key}` is only {}: `{}` is read as a comment (in YAML, ` #` starts one)",
                read(value),
                crate::diagnostics::shorten(comment, 40)
            ),
            format!(
                "{}; a note to editors goes on a line of its own, starting with `#`",
                quoted(written)
            ),
        ));
    }
    for (mark, what) in [('!', "a YAML type tag"), ('&', "a YAML anchor")] {
        if written.starts_with(mark) {
            let word = written.split_whitespace().next().unwrap_or(written);
            return Some((
                0,
                format!(
                    "`{key}` is {}: `{word}` is read as {what} and left out",
                    read(value)
                ),
                quoted(written),
            ));
        }
    }
    None
}

/// Where an item of a list value is written: the first place at or after line `from` (1-based,
/// the key's line) where `item` stands alone (in `[a, b]` or on a `- a` line, quoted or not),
/// before the next key. (line, column), both 1-based.
pub(crate) fn item_pos(text: &str, from: usize, item: &str) -> Option<(usize, usize)> {
    if item.is_empty() {
        return None;
    }
    for (k, l) in text.lines().enumerate().skip(from.saturating_sub(1)) {
        let l = l.trim_end_matches('\r');
        if k + 1 > from && !l.starts_with([' ', '\t', '-']) {
            break;
        }
        for (o, _) in l.match_indices(item) {
            let before = l[..o].chars().next_back();
            let after = l[o + item.len()..].chars().next();
            let sep = |c: Option<char>, also: &[char]| {
                c.is_none_or(|c| {
                    c.is_whitespace() || matches!(c, '"' | '\'' | ',') || also.contains(&c)
                })
            };
            if sep(before, &['[', '-', ':']) && sep(after, &[']', '#']) {
                return Some((k + 1, l[..o].chars().count() + 1));
            }
        }
    }
    None
}

fn as_text(v: &Yaml) -> Option<String> {
    match v {
        Yaml::Str(s) => Some(s.clone()),
        Yaml::Int(i) => Some(i.to_string()),
        Yaml::Float(f) => Some(f.to_string()),
        _ => None,
    }
}

fn list_of_strings(v: &Yaml) -> Result<Vec<String>, Problem> {
    match v {
        Yaml::List(items) => items
            .iter()
            .map(|i| {
                as_text(i).ok_or_else(|| {
                    (
                        format!("expected a list of words, found {} in it", i.type_name()),
                        None,
                    )
                })
            })
            .collect(),
        // `-item` (no space after the dash) is one word, not a list item.
        Yaml::Str(s)
            if s.starts_with('-')
                && s.chars()
                    .nth(1)
                    .is_some_and(|c| !c.is_whitespace() && c != '-') =>
        {
            let first = s.split_whitespace().next().unwrap_or(s);
            Err((
                format!("`{first}` is not a list item: a list item needs a space after the dash"),
                Some(format!(
                    "write `- {}` (one item per line, each with `- `), or `[first, second]`",
                    first.trim_start_matches('-')
                )),
            ))
        }
        // A single value is a list of one.
        other => as_text(other).map(|s| vec![s]).ok_or_else(|| {
            (
                format!("expected a list, found {}", other.type_name()),
                Some("write a list like `[first, second]`".into()),
            )
        }),
    }
}

/// QA Q85: `topics: bargaining, leadership` is one text to YAML; the help made one slug of it
/// (`bargaining-leadership`), which is no topic.
fn comma_list(key: &str, v: &Yaml) -> Result<(), Problem> {
    let Yaml::Str(s) = v else { return Ok(()) };
    if !s.contains(',') {
        return Ok(());
    }
    let items: Vec<&str> = s
        .split(',')
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .collect();
    Err((
        format!("`{s}` is one text: a list needs brackets"),
        Some(format!("write `{key}: [{}]`", items.join(", "))),
    ))
}

fn slug_list(v: &Yaml) -> Result<Vec<String>, Problem> {
    let items = list_of_strings(v)?;
    for s in &items {
        if slugify(s) != *s {
            return Err(path_instead_of_name(s)
                .or_else(|| translation_instead_of_name(s))
                .unwrap_or_else(|| {
                    (
                        format!("`{s}` is not a slug"),
                        Some(format!(
                            "slugs are lowercase words joined by dashes, e.g. `{}`",
                            crate::slug::suggest(s, "")
                        )),
                    )
                }));
        }
    }
    Ok(items)
}

/// QA s15: `video: videos/how-to-use-search.md`, `tools: [../tools/x.md]`, `translation_of:
/// stories/x.md` (written as a link is) were told "slugs are lowercase words joined by dashes,
/// e.g. `videos-how-to-use-search-md`". A value with a folder or `.md` (or an address such as
/// `/topics/bargaining/`) is a path: the field takes the name alone.
fn path_instead_of_name(s: &str) -> Option<Problem> {
    let t = s.trim();
    let md = |n: &str| {
        n.len() > 3
            && n.get(n.len() - 3..)
                .is_some_and(|e| e.eq_ignore_ascii_case(".md"))
    };
    if !t.contains(['/', '\\']) && !md(t) {
        return None;
    }
    let last = t.trim_end_matches(['/', '\\']).rsplit(['/', '\\']).next()?;
    let last = last.split('#').next().unwrap_or(last);
    let name = if md(last) {
        &last[..last.len() - 3]
    } else {
        last
    };
    let name = slugify(&without_lang(name));
    (!name.is_empty()).then(|| {
        (
            format!("`{s}` is a path: this field takes a name alone"),
            Some(format!(
                "write the file name without its folder and `.md`: `{name}`"
            )),
        )
    })
}

/// `x.es` → `x`: a name with a language code (`translation_of: ive-got-your-back.es`), the
/// name of a translation's file; the field takes the name every language shares (audit s16: it
/// was told to write `ive-got-your-back-es`, which names nothing).
fn without_lang(name: &str) -> String {
    match crate::content::i18n::split_lang(&format!("{name}.md")) {
        (base, Some(_)) => base.trim_end_matches(".md").to_string(),
        (_, None) => name.to_string(),
    }
}

/// The two-letter language codes of ISO 639-1, and the three-letter ones of languages spoken
/// by Kaiser Permanente's members and staff that have none (Hawaiian, Filipino, Cantonese,
/// Hmong): the codes a name's last part (`x.es`) is taken to be a language by.
const LANGUAGE_CODES: &str = "aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu haw fil yue hmn";

/// A name with a language code (`x.es`, `x.pt-br`): the shared name is meant. Hostile author
/// s21: `slug: report.pdf` and `feed.xml` were said to name a translation's file, "without the
/// language code"; a last part that is no language's code is left to the slug's own message.
fn translation_instead_of_name(s: &str) -> Option<Problem> {
    let code = s.trim().rsplit_once('.')?.1.to_ascii_lowercase();
    let first = code.split('-').next().unwrap_or("");
    if !LANGUAGE_CODES.split(' ').any(|c| c == first) {
        return None;
    }
    let name = without_lang(s.trim());
    (name != s.trim() && crate::slug::is_slug(&name)).then(|| {
        (
            format!(
                "`{s}` names a translation's file: this field takes the name every language shares"
            ),
            Some(format!(
                "write the name without the language code: `{name}`"
            )),
        )
    })
}

fn integer(v: &Yaml) -> Result<i64, Problem> {
    match v {
        Yaml::Int(i) => Ok(*i),
        Yaml::Str(s) => {
            let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
            // Hostile author s23: `members: "34"` was told "write the number with digits only,
            // e.g. `34`", which it is: its quotes make it text. `73%` is a share, not a count.
            if !digits.is_empty() && digits == s.trim() {
                return Err((
                    format!("expected a whole number, found `\"{s}\"`: the quotes make it text"),
                    Some(format!("remove the quotes: write `{}`", s.trim())),
                ));
            }
            let hint = if s.trim().ends_with('%') && !digits.is_empty() {
                "write a whole number with digits only, without `%`: this field is a count, not a share (lmp computes shares from the counts)".to_string()
            } else if !digits.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, ',' | '_' | '.' | ' '))
            {
                format!("write the number with digits only, e.g. `{digits}`")
            } else if s.to_lowercase().contains("million") {
                "write the full number with digits only, e.g. `4500000`; put how it should read in a `_display` field".into()
            } else {
                "write a whole number with digits only".into()
            };
            Err((
                format!("expected a whole number, found the text `{s}`"),
                Some(hint),
            ))
        }
        Yaml::Float(f) => Err((
            format!("expected a whole number, found `{f}`"),
            Some("write a whole number with digits only".into()),
        )),
        other => Err((
            format!("expected a whole number, found {}", other.type_name()),
            None,
        )),
    }
}

/// `stem` is the file name without `.md`, the fallback for slug suggestions.
fn normalise(field: &Field, v: &Yaml, stem: &str) -> Result<Value, Problem> {
    match field.ty {
        FieldType::Str => match v {
            Yaml::Str(s) if s.contains('\n') && s.trim_end().contains('\n') => Err((
                "must be one line".into(),
                Some("keep it on one line, or shorten it".into()),
            )),
            // Invisible characters from a paste (hostile author s21): see
            // `util::without_invisibles`.
            _ => as_text(v)
                .map(|s| Value::String(crate::util::without_invisibles(s.trim_end()).into_owned()))
                .ok_or_else(|| {
                    (
                        format!("expected text, found {}", v.type_name()),
                        Some(format!("write `{}: {}`", field.name, field.ty.example())),
                    )
                }),
        },
        FieldType::Text => as_text(v)
            .map(|s| Value::String(crate::util::without_invisibles(&s).into_owned()))
            .ok_or_else(|| (format!("expected text, found {}", v.type_name()), None)),
        FieldType::Slug => {
            let s = as_text(v)
                .ok_or_else(|| (format!("expected a slug, found {}", v.type_name()), None))?;
            if crate::slug::is_slug(&s) {
                Ok(Value::String(s))
            } else if let Some(p) =
                path_instead_of_name(&s).or_else(|| translation_instead_of_name(&s))
            {
                Err(p)
            } else {
                Err((
                    format!("`{s}` is not a slug"),
                    Some(format!(
                        "use lowercase letters, digits and dashes, e.g. `{}`",
                        crate::slug::suggest(&s, stem)
                    )),
                ))
            }
        }
        FieldType::Date => {
            let s = as_text(v).ok_or_else(|| {
                (
                    format!("expected a date, found {}", v.type_name()),
                    Some("write it as YYYY-MM-DD, e.g. 2021-06-30".into()),
                )
            })?;
            Date::parse(&s)
                .map(|d| Value::String(d.to_string()))
                .map_err(|m| {
                    // QA s13: `2014-02-30` is written as YYYY-MM-DD: the day is wrong.
                    let month = s.get(..7).and_then(|ym| {
                        let (y, mo) = ym.split_once('-')?;
                        Some((y.parse::<i32>().ok()?, mo.parse::<u8>().ok()?))
                    });
                    let help = match month {
                        Some((y, mo)) if m.contains("` does not exist: ") => format!(
                            "check the day: the last day of that month is {y:04}-{mo:02}-{:02}",
                            crate::util::days_in_month(y, mo)
                        ),
                        _ if m.contains("` has month ") => "check the month: a date is written year-month-day, e.g. 2021-06-30 for June 30, 2021".to_string(),
                        _ => "write it as YYYY-MM-DD, e.g. 2021-06-30".to_string(),
                    };
                    (m, Some(help))
                })
        }
        FieldType::Int => integer(v).map(Value::from),
        FieldType::Count => {
            let n = integer(v)?;
            if n < 0 {
                Err((format!("`{n}` is negative"), None))
            } else {
                Ok(Value::from(n))
            }
        }
        FieldType::Year => {
            let n = integer(v)?;
            if (1900..=2100).contains(&n) {
                Ok(Value::from(n))
            } else {
                Err((
                    format!("`{n}` is not a plausible year"),
                    Some("write the four-digit year, e.g. 2016".into()),
                ))
            }
        }
        FieldType::Bool => match v {
            Yaml::Bool(b) => Ok(Value::Bool(*b)),
            other => Err((
                format!("expected true or false, found {}", other.type_name()),
                Some(format!(
                    "write `{}: true` or `{}: false`",
                    field.name, field.name
                )),
            )),
        },
        FieldType::Terms(_) | FieldType::DocRefs(_) => {
            comma_list(field.name, v)?;
            slug_list(v).map(Value::from)
        }
        FieldType::Term(_) | FieldType::DocRef(_) => {
            let s = as_text(v)
                .ok_or_else(|| (format!("expected one slug, found {}", v.type_name()), None))?;
            if s.contains(',') {
                return Err((
                    format!("`{s}` is more than one value: `{}` takes one", field.name),
                    Some(format!(
                        "keep one: `{}: {}`",
                        field.name,
                        s.split(',').next().unwrap_or(&s).trim()
                    )),
                ));
            }
            slug_list(&Yaml::Str(s.clone()))?;
            Ok(Value::String(s))
        }
        FieldType::File => {
            let s = as_text(v).ok_or_else(|| {
                (
                    format!("expected a file path, found {}", v.type_name()),
                    None,
                )
            })?;
            if crate::util::is_service_url(&s) {
                Err((format!("`{s}` is a YouTube or Vimeo address, not a file of the site"), Some("a video's `src:` is a file under static/ (`/videos/clip.mp4`); put a YouTube or Vimeo address in `embed:` instead".into())))
            } else if !s.starts_with('/') || s.contains("..") || s.contains('\\') {
                Err((
                    format!("`{s}` is not a site path"),
                    Some(site_path_help(field.name, &s)),
                ))
            } else {
                // A name copied from a Mac's Finder is decomposed (n + U+0303): the static
                // files are published under their composed names (see `fsx::walk_static`).
                Ok(Value::String(crate::fsx::nfc(&s)))
            }
        }
        FieldType::Url => {
            let s = as_text(v)
                .ok_or_else(|| (format!("expected a URL, found {}", v.type_name()), None))?;
            if (s.starts_with("https://") || s.starts_with("http://"))
                && !s.contains(char::is_whitespace)
            {
                Ok(Value::String(s))
            } else {
                Err((
                    format!("`{s}` is not a web address"),
                    Some("write the full address starting with https://".into()),
                ))
            }
        }
        FieldType::StrList => list_of_strings(v).map(Value::from),
        FieldType::Aliases => {
            comma_list(field.name, v)?;
            let l = list_of_strings(v)?;
            let l = l
                .iter()
                .map(|a| normalize_alias(a))
                .collect::<Result<Vec<String>, _>>()?;
            Ok(Value::from(l))
        }
        FieldType::Choice(choices) => {
            let s = as_text(v).ok_or_else(|| {
                (
                    format!(
                        "expected one of {}, found {}",
                        choices.join(", "),
                        v.type_name()
                    ),
                    None,
                )
            })?;
            if choices.contains(&s.as_str()) {
                Ok(Value::String(s))
            } else {
                let help = match suggest(&s, choices.iter().copied()) {
                    Some(c) => format!("did you mean `{c}`?"),
                    None => format!("use one of: {}", choices.join(", ")),
                };
                Err((format!("`{s}` is not an allowed value"), Some(help)))
            }
        }
        FieldType::Results => {
            let Yaml::List(rows) = v else {
                return Err((
                    format!("expected a list of results, found {}", v.type_name()),
                    Some("write `- {measure: ..., before: ..., after: ...}` for each row".into()),
                ));
            };
            // QA Q44: every bad row is named (three bad rows were one error about the first).
            let mut out = Vec::new();
            let mut problems: Vec<(String, Option<String>)> = Vec::new();
            for (n, row) in rows.iter().enumerate() {
                let n = n + 1;
                let Yaml::Map(m) = row else {
                    problems.push((
                        format!("result {n} is not `{{measure, before, after}}`"),
                        Some("write `- {measure: Falls, before: 12, after: 3}`".into()),
                    ));
                    continue;
                };
                let mut obj = Map::new();
                let mut bad = false;
                let mut meant: Vec<&str> = Vec::new();
                for (k, val) in m {
                    if !matches!(k.as_str(), "measure" | "before" | "after") {
                        let s = suggest(k, ["measure", "before", "after"]);
                        meant.extend(s);
                        let help = s.map(|s| format!("did you mean `{s}`?"));
                        problems.push((
                            format!("result {n} has an unknown key `{k}`"),
                            help.or(Some("a result has `measure`, `before` and `after`".into())),
                        ));
                        bad = true;
                        continue;
                    }
                    match as_text(val).filter(|t| !t.trim().is_empty()) {
                        Some(text) => {
                            obj.insert(k.clone(), Value::String(text));
                        }
                        None => {
                            problems.push((format!("`{k}` of result {n} must be text"), None));
                            bad = true;
                        }
                    }
                }
                for k in ["measure", "before", "after"] {
                    if !obj.contains_key(k)
                        && !m.iter().any(|(mk, _)| mk == k)
                        && !meant.contains(&k)
                    {
                        problems.push((
                            format!("result {n} is missing `{k}`"),
                            Some("each result has `measure`, `before` and `after`".into()),
                        ));
                        bad = true;
                    }
                }
                if !bad {
                    out.push(Value::Object(obj));
                }
            }
            if !problems.is_empty() {
                let helps: Vec<String> = problems.iter().filter_map(|(_, h)| h.clone()).collect();
                let mut helps_unique: Vec<String> = Vec::new();
                for h in helps {
                    if !helps_unique.contains(&h) {
                        helps_unique.push(h);
                    }
                }
                let what: Vec<String> = problems.into_iter().map(|(m, _)| m).collect();
                return Err((
                    what.join("; "),
                    (!helps_unique.is_empty()).then(|| helps_unique.join("; ")),
                ));
            }
            Ok(Value::Array(out))
        }
    }
}

/// An alias (an old address that redirects to the page), validated and normalised like a URL
/// path: it starts with one `/`, has no empty, `.` or `..` segment (also percent-encoded, as
/// `%2e%2e`), no query, fragment, space, backslash or control character; percent escapes are
/// decoded (`/old%20story/` → `/old story/`) since the redirect page is written to the folder the
/// decoded path names, which is where a web server looks for it.
pub(crate) fn normalize_alias(a: &str) -> Result<String, (String, Option<String>)> {
    let bad = |why: &str| {
        Err((
            format!("alias `{}` {why}", crate::diagnostics::escape_controls(a)),
            Some("write old addresses as site paths like `/old/story-name/`".into()),
        ))
    };
    if !a.starts_with('/') {
        return bad("is not a site path (it must start with `/`)");
    }
    if a.starts_with("//") {
        return bad("starts with `//`, which browsers read as the address of another web site");
    }
    if a.contains(['?', '#', '\\']) || a.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad("must not contain `?`, `#`, `\\`, spaces or control characters");
    }
    let body = a.strip_prefix('/').unwrap_or(a);
    let (body, trailing) = match body.strip_suffix('/') {
        Some(b) => (b, true),
        None => (body, false),
    };
    let mut out = String::from("/");
    if body.is_empty() {
        return Ok(out);
    }
    for (i, raw) in body.split('/').enumerate() {
        if raw.is_empty() {
            return bad("has an empty segment (`//`)");
        }
        let Some(seg) = crate::escape::percent_decode_strict(raw) else {
            return bad("has an invalid percent escape (`%` must start `%XX` of UTF-8 text)");
        };
        if seg == "." || seg == ".." {
            return bad("has a `.` or `..` segment");
        }
        if seg.contains(['/', '\\']) || seg.chars().any(char::is_control) {
            return bad("has an encoded slash, backslash or control character");
        }
        if i > 0 {
            out.push('/');
        }
        out.push_str(&seg);
    }
    if trailing {
        out.push('/');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("site/stories/a.md")
    }

    /// `text` checked as the file `path` of `collection`.
    fn check_as(
        path: &str,
        collection: Collection,
        text: &str,
    ) -> (Option<(Value, Positions)>, Vec<Diagnostic>) {
        let s = split(Path::new(path), text).unwrap();
        check(Path::new(path), text, &s, collection, &collection.fields())
    }

    /// Each diagnostic as `line:col message / help`.
    fn with_help(d: &[Diagnostic]) -> Vec<String> {
        d.iter()
            .map(|d| {
                format!(
                    "{}:{} {} / {}",
                    d.line,
                    d.col,
                    d.message,
                    d.help.as_deref().unwrap_or("")
                )
            })
            .collect()
    }

    /// Each diagnostic as `line:col message`.
    fn at_lines(d: &[Diagnostic]) -> Vec<String> {
        d.iter()
            .map(|d| format!("{}:{} {}", d.line, d.col, d.message))
            .collect()
    }

    /// `text` checked as the story `site/stories/a.md`.
    fn check_story(text: &str) -> (Option<(Value, Positions)>, Vec<Diagnostic>) {
        check_as("site/stories/a.md", Collection::Stories, text)
    }

    #[test]
    fn split_keeps_offsets_with_bom_and_crlf() {
        let t = "\u{feff}---\r\ntitle: x\r\n---\r\nbody\r\n";
        let s = split(p(), t).unwrap();
        assert_eq!(s.front_matter, "title: x\r\n");
        assert_eq!(s.body_line, 4);
        assert_eq!(&t[s.body_start..], "body\r\n");
    }

    #[test]
    fn split_errors() {
        assert!(split(p(), "").unwrap_err().message.contains("empty"));
        assert!(
            split(p(), "title: x\n")
                .unwrap_err()
                .message
                .contains("does not start")
        );
        assert!(
            split(p(), "---\ntitle: x\n")
                .unwrap_err()
                .message
                .contains("never closes")
        );
    }

    /// QA Q61: `--- ` with a trailing space closes the front matter; Hugo's TOML and empty
    /// lines before the `---` are named in the help.
    #[test]
    fn dash_slips_and_cr_line_endings_are_named() {
        let p = Path::new("site/stories/a.md");
        let help = |text: &str| {
            let Err(e) = split(p, text) else {
                panic!("{text:?} splits")
            };
            (e.line, e.message, e.help.unwrap_or_default())
        };
        // QA Q84: four dashes.
        let (line, msg, h) = help("---\ntitle: T\n----\nBody\n");
        assert_eq!((line, msg.as_str()), (3, "the front matter never closes"));
        assert_eq!(
            h,
            "line 3 has 4 dashes: the closing line is exactly three, `---`"
        );
        // QA Q83: Word's em dash, opening or closing.
        let (line, _, h) = help("—\ntitle: T\n—\nBody\n");
        assert_eq!(line, 1);
        assert!(
            h.starts_with("this line is an em dash `—`, not three hyphens"),
            "{h}"
        );
        let (line, _, h) = help("---\ntitle: T\n–––\nBody\n");
        assert_eq!(line, 3);
        assert!(h.starts_with("line 3: this line is an en dash `–`"), "{h}");
        // QA Q91: old-Mac line endings.
        let (_, _, h) = help("---\rtitle: T\r---\rBody\r");
        assert!(h.contains("CR only"), "{h}");
    }

    #[test]
    fn trailing_spaces_toml_and_leading_blank_lines() {
        let p = Path::new("site/stories/a.md");
        let s = split(p, "---  \ntitle: T\n--- \t\nBody\n").expect("closes");
        assert_eq!((s.front_matter, s.body_line), ("title: T\n", 4));
        let Err(e) = split(p, "+++\ntitle = \"Toml\"\n+++\nBody\n") else {
            panic!("toml")
        };
        assert!(
            e.help
                .as_deref()
                .is_some_and(|h| h.starts_with("this is TOML front matter")),
            "{e:?}"
        );
        let Err(e) = split(p, "\n\n---\ntitle: T\n---\n") else {
            panic!("blank lines")
        };
        assert_eq!(
            e.help.as_deref(),
            Some(
                "remove the 2 empty lines before the first `---`: front matter must start on the first line"
            )
        );
    }

    /// QA Q67: the commonest slips in an `image:` path get the path meant, and a picture as
    /// the example (not a PDF); a path on the author's computer says so.
    #[test]
    fn image_paths_that_are_not_site_paths_get_the_path_meant() {
        for (given, want) in [
            ("\\images\\huddle.jpg", "did you mean `/images/huddle.jpg`?"),
            ("images/huddle.jpg", "did you mean `/images/huddle.jpg`?"),
            (
                "static/images/huddle.jpg",
                "did you mean `/images/huddle.jpg`?",
            ),
            (
                "C:\\Users\\me\\Pictures\\team.jpg",
                "this is a file on your computer: copy it into site/static/images/ and write `/images/team.jpg`",
            ),
            (
                "file:///Users/me/team.jpg",
                "this is a file on your computer: copy it into site/static/images/ and write `/images/team.jpg`",
            ),
            (
                "../x.jpg",
                "write the path under site/static/ starting with `/`, e.g. `/images/photo.jpg`",
            ),
        ] {
            let h = site_path_help("image", given);
            assert!(h.starts_with(want), "{given}: {h}");
        }
        assert!(site_path_help("file", "files/a.pdf").contains("`/files/checklist.pdf`"));
    }

    #[test]
    fn unknown_field_points_into_the_file() {
        let t = "---\ntitle: T\ndate: 2020-01-01\nsummary: s\n  \ntittle: x\n---\n";
        let (ok, d) = check_story(t);
        assert!(ok.is_none());
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].col), (6, 1));
        assert_eq!(d[0].help.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn reports_every_problem_of_a_file() {
        let t = "---\ntitle: T\ndate: 2021-6-31\nmembers: 4\nfeatured: yes\n---\n";
        let (_, d) = check_story(t);
        let msgs: Vec<_> = at_lines(&d);
        assert_eq!(msgs.len(), 4, "{msgs:#?}"); // bad date, unknown members, bad bool, missing summary
        assert!(
            msgs.iter().any(|m| m.starts_with("3:7 `date`")),
            "{msgs:#?}"
        );
    }

    /// QA s17: a translation written inline (`es:` and its fields under it, as some generators
    /// take it) is one error at `es:`, which says a translation is a file of its own; its
    /// fields are not reported one by one as the original's.
    #[test]
    fn an_inline_translation_map_is_told_translations_are_files() {
        let t =
            "---\ntitle: T\ndate: 2021-06-01\nsummary: x\nes:\n  title: Título\n  sumary: y\n---\n";
        let (_, d) = check_story(t);
        let got: Vec<(usize, usize, &str)> = d
            .iter()
            .map(|d| (d.line, d.col, d.message.as_str()))
            .collect();
        assert_eq!(got, [(5, 1, "unknown field `es` in stories")], "{d:#?}");
        assert!(
            d[0].help
                .as_deref()
                .is_some_and(|h| h.starts_with("a translation is a file of its own")
                    && h.contains("`x.es.md`")),
            "{d:#?}"
        );
    }

    /// QA Q91: keys written in Spanish (an editor writing a translation) are told their name,
    /// one error each, and a required field so named is not also "missing".
    #[test]
    fn spanish_keys_are_told_their_name() {
        let t = "---\ntítulo: T\nFecha: 2021-06-01\nresumen: x\nregión: [hawaii]\ntemas: [a]\nautora: Ana\n---\n";
        let (_, d) = check_story(t);
        let got: Vec<(String, Option<&str>)> = d
            .iter()
            .map(|d| (d.message.clone(), d.help.as_deref()))
            .collect();
        let want = |es: &str, en: &str| {
            (
                format!("unknown field `{es}` in stories"),
                Some(format!(
                    "did you mean `{en}`? Keys are written in English in every language; the values are the translation's"
                )),
            )
        };
        let want: Vec<(String, Option<String>)> = [
            ("título", "title"),
            ("Fecha", "date"),
            ("resumen", "summary"),
            ("región", "regions"),
            ("temas", "topics"),
            ("autora", "author"),
        ]
        .iter()
        .map(|(es, en)| want(es, en))
        .collect();
        let got: Vec<(String, Option<String>)> = got
            .into_iter()
            .map(|(m, h)| (m, h.map(str::to_string)))
            .collect();
        assert_eq!(got, want);
        // A practice's one region.
        let t = "---\ntitle: T\nsummary: s\ntopics: [a]\nregión: hawaii\n---\n";
        let (_, d) = check_as("site/practices/a.md", Collection::Practices, t);
        assert!(
            d.iter().any(|d| d
                .help
                .as_deref()
                .is_some_and(|h| h.starts_with("did you mean `region`?"))),
            "{d:#?}"
        );
    }

    /// QA Q16/Q17: a misspelt required key is one error (the typo, with its "did you mean"),
    /// not also "missing required field"; a bad `ubts` is not also "given without `ubts`".
    #[test]
    fn a_misspelt_or_bad_field_is_one_error() {
        let t = "---\ntitle: T\ndate: 2021-06-01\nsumary: x\n---\n";
        let (_, d) = check_story(t);
        let msgs: Vec<_> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(msgs, ["unknown field `sumary` in stories"], "{d:#?}");
        assert_eq!(d[0].help.as_deref(), Some("did you mean `summary`?"));
        let t = "---\ntitle: T\nubts: -3\nhigh_performing_ubts: 2\n---\n";
        let (_, d) = check_as("site/stories/a.md", Collection::Regions, t);
        let msgs: Vec<_> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(msgs.len(), 1, "{msgs:#?}");
        assert!(msgs[0].starts_with("`ubts`"), "{msgs:#?}");
    }

    /// `title: null` (or `~`): YAML's "no value", said as such with the fix, not "`title` is
    /// empty" (the author wrote something) and never a page titled "null".
    #[test]
    fn a_null_title_is_named() {
        for word in ["null", "~", "Null"] {
            let t = format!("---\ntitle: {word}\ndate: 2021-06-01\nsummary: x\n---\n");
            let (_, d) = check_story(&t);
            assert_eq!(
                with_help(&d),
                [format!(
                    "2:8 `title: {word}` is no value: YAML reads `{word}` as nothing, and stories need a `title` / write the value, e.g. `title: \"Some text\"` (in quotes if it is the word itself: `title: \"{word}\"`)"
                )]
            );
        }
        let (v, d) = check_story("---\ntitle: \"Null\"\ndate: 2021-06-01\nsummary: x\n---\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(v.unwrap().0["title"], "Null");
    }

    /// Every bad alias of a list in one run, each at its place (not the first one only).
    #[test]
    fn every_bad_alias_is_reported_at_its_place() {
        let t = "---\ntitle: T\ndate: 2021-06-01\nsummary: x\naliases: [old/a/, /ok/, \"/b c/\"]\n---\n";
        let (_, d) = check_story(t);
        let at: Vec<String> = at_lines(&d);
        assert_eq!(at.len(), 2, "{d:#?}");
        assert!(
            at[0].starts_with("5:11 `aliases`: alias `old/a/` is not a site path"),
            "{at:?}"
        );
        assert!(
            at[1].starts_with("5:26 `aliases`: alias `/b c/` must not contain"),
            "{at:?}"
        );
        let t = "---\ntitle: T\ndate: 2021-06-01\nsummary: x\naliases:\n  - old/a/\n  - /x/../y/\n---\n";
        let (_, d) = check_story(t);
        let at: Vec<String> = at_lines(&d);
        assert_eq!(at.len(), 2, "{d:#?}");
        assert!(at[0].starts_with("6:5 "), "{at:?}");
        assert!(
            at[1].starts_with("7:5 ") && at[1].contains("`..`"),
            "{at:?}"
        );
    }

    /// QA Q107: field names of Hugo, Jekyll and WordPress exports get lmp's name as their
    /// "did you mean" (only `authors` did), and `description:` standing for `summary:` is not
    /// also "missing required field `summary`".
    #[test]
    fn other_generators_field_names_get_lmps_name() {
        let t = "---\ntitle: Hugo keys\ndate: 2024-01-02\ndescription: x\ntags: [bargaining]\ncategories: [news]\nlastmod: 2024-02-01\nfeatured_image: /images/huddle.jpg\nalt: A team\nurl: /old/hugo-keys/\ntoc: true\n---\n";
        let (_, d) = check_story(t);
        let msgs: Vec<String> = d
            .iter()
            .map(|d| {
                format!(
                    "{}:{} {} / {}",
                    d.line,
                    d.col,
                    d.message,
                    d.help.as_deref().unwrap_or("")
                )
            })
            .collect();
        assert_eq!(msgs.len(), 8, "{msgs:#?}");
        for (i, (line, key, start)) in [
            (
                4,
                "description",
                "did you mean `summary`? lmp calls the short text",
            ),
            (
                5,
                "tags",
                "did you mean `topics`? lmp files pages under `topics`",
            ),
            (6, "categories", "did you mean `topics`?"),
            (7, "lastmod", "did you mean `updated`?"),
            (8, "featured_image", "did you mean `image`?"),
            (9, "alt", "did you mean `image_alt`?"),
            (
                10,
                "url",
                "did you mean `aliases`? lmp makes the address from the file name",
            ),
            (11, "toc", "lmp has no table-of-contents switch: delete it"),
        ]
        .into_iter()
        .enumerate()
        {
            let head = format!("{line}:1 unknown field `{key}` in stories / {start}");
            assert!(msgs[i].starts_with(&head), "{head}\n{msgs:#?}");
        }
        // Both given: the help says which one to delete; a collection without the field says so.
        let (_, d) = check_story("---\ntitle: T\ndate: 2024-01-02\nsummary: s\nexcerpt: s\n---\n");
        assert_eq!(
            d[0].help.as_deref(),
            Some(
                "lmp calls the short text shown under the title and on cards `summary`, not `excerpt`; this file has `summary:` already: delete `excerpt:`"
            )
        );
        let (_, d) = check_as(
            "site/regions/r.md",
            Collection::Regions,
            "---\ntitle: T\ntags: [x]\n---\n",
        );
        assert!(
            d[0].help
                .as_deref()
                .is_some_and(|h| h.ends_with("but this collection has no `topics`: delete it")),
            "{d:#?}"
        );
        // Audit s16 (issue 16's first complaint): `lang: es` is told how a page says its
        // language; Hugo's `translationKey` is told lmp's `translation_of`.
        let (_, d) = check_story(
            "---\ntitle: T\ndate: 2024-01-02\nsummary: s\nlang: es\ntranslationKey: t\n---\n",
        );
        let helps: Vec<&str> = d.iter().filter_map(|d| d.help.as_deref()).collect();
        assert_eq!(
            helps,
            [
                "a page's language comes from its file name: the Spanish translation of `x.md` is `x.es.md`, next to it (docs/translations.md); delete it",
                "did you mean `translation_of`? a translation is tied to its original by its file name (`x.es.md` next to `x.md`), or, named otherwise, by `translation_of: x` (the original's file name without `.md`), not by `translationKey`",
            ],
            "{d:#?}"
        );
    }

    /// QA Q104: control characters written as YAML escapes are an error at the field (they
    /// reached the page and made the Atom feed invalid XML), at the escape that wrote them
    /// (hostile author s22).
    #[test]
    fn control_characters_from_yaml_escapes_are_named() {
        let t = "---\ntitle: \"Escaped \\u000b vt\"\ndate: 2024-01-02\nsummary: \"Word line\\vbreak\"\nauthor: \"nul \\0 here\"\n---\n";
        let (_, d) = check_story(t);
        let msgs: Vec<String> = d
            .iter()
            .map(|d| format!("{}:{} {}", d.line, d.col, d.message))
            .collect();
        assert_eq!(
            msgs,
            [
                "2:17 `title` holds an invisible control character (U+000B), which no page or feed can show",
                "4:20 `summary` holds an invisible control character (U+000B), which no page or feed can show",
                "5:14 `author` holds an invisible control character (U+0000), which no page or feed can show",
            ],
            "{d:#?}"
        );
        // A tab is text.
        let (_, d) = check_story("---\ntitle: \"a\\tb\"\ndate: 2024-01-02\nsummary: x\n---\n");
        assert!(d.is_empty(), "{d:#?}");
    }

    /// QA Q87: `title: #1 team` is a comment after `title:`: the help says to quote it.
    #[test]
    fn a_value_starting_with_hash_is_named() {
        let t = "---\ntitle: #1 team in the region\ndate: 2021-06-01\nsummary: S\nauthor: #LMP20\n---\n";
        let (_, d) = check_story(t);
        let msgs: Vec<String> = with_help(&d);
        assert_eq!(msgs.len(), 2, "{msgs:#?}");
        assert!(
            msgs[0].starts_with("2:8 `title` is empty: the `#` after `title: ` starts a comment"),
            "{msgs:#?}"
        );
        assert!(
            msgs[0].ends_with("put the value in quotes: `title: \"#1 team in the region\"`"),
            "{msgs:#?}"
        );
        assert!(msgs[1].contains("`author` is empty: the `#`"), "{msgs:#?}");
    }

    /// QA Q87: a ` #` comment, a `!tag` or an `&anchor` in an unquoted text value is an error
    /// at its column (the title was published cut to "Team"); a number in a text field is
    /// kept as written (`1.10` was published as "1.1").
    #[test]
    fn text_values_that_yaml_reads_otherwise_are_named() {
        let t = "---\ntitle: Team #1 in the region\ndate: 2021-06-01\nsummary: Celebrating #LMP20 and more\nauthor: !Important update\nimage_alt: &partners\n---\n";
        let (ok, d) = check_story(t);
        assert!(ok.is_none());
        let msgs: Vec<String> = with_help(&d);
        assert_eq!(msgs.len(), 4, "{msgs:#?}");
        assert!(
            msgs[0].starts_with(
                "2:13 `title` is only `Team`: `#1 in the region` is read as a comment"
            ),
            "{msgs:#?}"
        );
        assert!(
            msgs[0].contains("put the whole value in quotes: `title: \"Team #1 in the region\"`"),
            "{msgs:#?}"
        );
        assert!(
            msgs[1].starts_with("4:22 `summary` is only `Celebrating`"),
            "{msgs:#?}"
        );
        assert!(
            msgs[2]
                .starts_with("5:9 `author` is `update`: `!Important` is read as a YAML type tag"),
            "{msgs:#?}"
        );
        assert!(
            msgs[3].starts_with("6:12 `image_alt` is empty: `&partners` is read as a YAML anchor"),
            "{msgs:#?}"
        );
        // A `#` inside a word or an address is text; a number in a text field stays as written.
        let t =
            "---\ntitle: C# at https://example.org/#top\ndate: 2021-06-01\nsummary: 1.10\n---\n";
        let (ok, d) = check_story(t);
        assert!(d.is_empty(), "{d:#?}");
        let (v, _) = ok.unwrap();
        assert_eq!(v["summary"], "1.10");
        assert_eq!(v["title"], "C# at https://example.org/#top");
    }

    /// QA s15: a link's path in a field that takes a document's or a term's name was told
    /// "slugs are lowercase words joined by dashes, e.g. `videos-how-to-use-search-md`".
    #[test]
    fn a_path_where_a_name_is_taken_says_to_write_the_name_alone() {
        let t = "---\ntitle: T\ndate: 2021-06-01\nsummary: S\nvideo: videos/how-to-use-search.md\ntopics: [/topics/patient-safety/]\ntranslation_of: ..\\stories\\one-lesson-at-a-time.MD\n---\n";
        let (_, d) = check_story(t);
        assert_eq!(
            with_help(&d),
            [
                "5:8 `video`: `videos/how-to-use-search.md` is a path: this field takes a name alone / write the file name without its folder and `.md`: `how-to-use-search`",
                "6:9 `topics`: `/topics/patient-safety/` is a path: this field takes a name alone / write the file name without its folder and `.md`: `patient-safety`",
                "7:17 `translation_of`: `..\\stories\\one-lesson-at-a-time.MD` is a path: this field takes a name alone / write the file name without its folder and `.md`: `one-lesson-at-a-time`",
            ]
        );
        let t = "---\ntitle: T\nsummary: S\naudiences: [managers]\ntools: [../tools/ubt-huddle-checklist.md#step-1, Huddle Board]\n---\n";
        let (_, d) = check_as("site/guides/x.md", Collection::Guides, t);
        assert_eq!(
            with_help(&d),
            [
                "5:8 `tools`: `../tools/ubt-huddle-checklist.md#step-1` is a path: this field takes a name alone / write the file name without its folder and `.md`: `ubt-huddle-checklist`"
            ]
        );
        // Not a path: the slug help as before.
        let t = "---\ntitle: T\ndate: 2021-06-01\nsummary: S\nvideo: How To Use Search\n---\n";
        let (_, d) = check_story(t);
        assert_eq!(
            with_help(&d),
            [
                "5:8 `video`: `How To Use Search` is not a slug / slugs are lowercase words joined by dashes, e.g. `how-to-use-search`"
            ]
        );
        // Audit s16: the name of a translation's file, with or without `.md`, was told to
        // write `ive-got-your-back-es` (no such document): the shared name is meant.
        let t = "---\ntitle: T\ndate: 2021-06-01\nsummary: S\nvideo: how-to-use-search.es.md\ntranslation_of: ive-got-your-back.es\n---\n";
        let (_, d) = check_story(t);
        assert_eq!(
            with_help(&d),
            [
                "5:8 `video`: `how-to-use-search.es.md` is a path: this field takes a name alone / write the file name without its folder and `.md`: `how-to-use-search`",
                "6:17 `translation_of`: `ive-got-your-back.es` names a translation's file: this field takes the name every language shares / write the name without the language code: `ive-got-your-back`",
            ]
        );
    }

    /// QA Q68: figures in scientific, hexadecimal or too large a form are named as written.
    #[test]
    fn figures_written_other_than_in_digits_are_named() {
        let t = "---\ntitle: T\nmembers: 1e6\nmedical_offices: 0x10\nubts: 12\n---\n";
        let (_, d) = check_as("site/regions/x.md", Collection::Regions, t);
        let msgs: Vec<String> = with_help(&d);
        assert_eq!(
            msgs,
            [
                "3:10 `members`: `1e6` is not written with digits only / write `1000000`: figures are written with the digits 0–9 only",
                "4:18 `medical_offices`: `0x10` is not written with digits only / write `16`: figures are written with the digits 0–9 only",
            ]
        );
        let t = "---\ntitle: T\nhospitals: 99999999999999999999\n---\n";
        let (_, d) = check_as("site/regions/x.md", Collection::Regions, t);
        let msgs: Vec<String> = with_help(&d);
        assert_eq!(
            msgs,
            [
                "3:12 invalid YAML in front matter: `99999999999999999999` is too large a number / check the figure against its source; if the value is not a number, put it in quotes"
            ]
        );
    }

    /// QA Q67/Q39: an `https://` image is told to be downloaded (not `/https://…`); an empty
    /// required list's help is not the empty list again.
    #[test]
    fn a_web_image_and_an_empty_list_get_help_that_works() {
        let t = "---\ntitle: T\ndate: 2021-06-01\nsummary: S\nimage: https://example.org/pics/team.jpg?w=2\nimage_alt: A team\n---\n";
        let (_, d) = check_story(t);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(
            d[0].help.as_deref(),
            Some(
                "`image` takes a file of this site: download it into site/static/images/ and write `/images/team.jpg`"
            )
        );
        let t = "---\ntitle: T\nsummary: S\naudiences: []\n---\n";
        let (_, d) = check_as("site/guides/a.md", Collection::Guides, t);
        assert_eq!(d.len(), 1, "{d:#?}");
        let help = d[0].help.as_deref().unwrap_or("");
        assert!(
            help.contains("`audiences: [some-slug]`") && !help.contains("[]"),
            "{help}"
        );
    }

    /// QA Q85: a comma list without brackets gets the brackets, not one merged slug.
    #[test]
    fn a_comma_list_without_brackets_gets_the_brackets() {
        let t = "---\ntitle: T\ndate: 2021-06-01\nsummary: S\ntopics: bargaining, leadership\naliases: /old/a/, /old/b/\n---\n";
        let (_, d) = check_story(t);
        let msgs: Vec<String> = with_help(&d);
        assert_eq!(
            msgs,
            [
                "5:9 `topics`: `bargaining, leadership` is one text: a list needs brackets / write `topics: [bargaining, leadership]`",
                "6:10 `aliases`: `/old/a/, /old/b/` is one text: a list needs brackets / write `aliases: [/old/a/, /old/b/]`",
            ]
        );
    }

    /// QA Q39/Q44: an empty list or a text of spaces does not give a required field; a value
    /// of spaces only is no text for an optional one either (`image_alt: ""` stays allowed).
    #[test]
    fn blank_values_do_not_give_a_field() {
        let t = "---\ntitle: \"  \"\nsummary: \"\"\naudiences: []\n---\n";
        let (ok, d) = check_as("site/guides/a.md", Collection::Guides, t);
        assert!(ok.is_none());
        let msgs: Vec<_> = at_lines(&d);
        assert_eq!(
            msgs,
            [
                "2:8 `title` is empty",
                "3:10 `summary` is empty",
                "4:12 `audiences` is an empty list",
            ],
            "{d:#?}"
        );
        let t = "---\ntitle: T\ndate: 2021-06-01\nsummary: S\nimage: /images/a.jpg\nimage_alt: \" \"\n---\n";
        let (_, d) = check_story(t);
        let msgs: Vec<_> = at_lines(&d);
        assert_eq!(msgs, ["6:12 `image_alt` is only spaces"], "{d:#?}");
        let t = "---\ntitle: T\nsummary: S\naudiences: [managers]\n---\n";
        let (_, d) = check_as("site/guides/a.md", Collection::Guides, t);
        assert!(d.is_empty(), "{d:#?}");
        let t = "---\ntitle: T\ndate: 2021-06-01\nsummary: S\nimage: /images/a.jpg\nimage_alt: \"\"\n---\n";
        let (_, d) = check_story(t);
        assert!(d.is_empty(), "{d:#?}");
    }

    #[test]
    fn figures_must_be_digits() {
        let t = "---\ntitle: T\nmembers: 4,500,000\nubts: 10\nhigh_performing_ubts: 11\n---\n";
        let (_, d) = check_as("site/regions/x.md", Collection::Regions, t);
        assert_eq!(d.len(), 2, "{d:#?}");
        assert_eq!(
            d[0].help.as_deref(),
            Some("write the number with digits only, e.g. `4500000`")
        );
        assert!(d[1].message.contains("more than `ubts`"));
    }
}
