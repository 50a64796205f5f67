//! Translations: which file is a translation of which document (`stories/x.es.md` of
//! `stories/x.md`), what a translation inherits from its original (everything but its own text,
//! see [`inherit`]), its URL under its language's prefix, and the checks across a document and
//! its translations (an original that does not exist, an undeclared language, a figure or date
//! that differs, two translations in one language). The languages themselves are
//! [`crate::config::Language`]s.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::Document;
use crate::content::collections::{Collection, Common, Fields, Schemas};
use crate::diagnostics::{Diagnostic, display_path, suggest};

/// Required fields a translation must give itself (its text); it inherits every other
/// required field.
pub(crate) const OWN_FIELDS: [&str; 2] = ["title", "summary"];

/// Fields a translation never inherits: its text, its address and its own life cycle.
const NOT_INHERITED: [&str; 8] = [
    "title",
    "summary",
    "slug",
    "aliases",
    "draft",
    "updated",
    "reviewed",
    "translation_of",
];

/// Fields whose value is a fact shared by every language (a date, a figure): a translation may
/// repeat them but not change them.
pub(crate) const FIXED: [&str; 8] = [
    "date",
    "as_of",
    "year",
    "members",
    "medical_offices",
    "hospitals",
    "ubts",
    "high_performing_ubts",
];

/// Text fields that write a figure in words of a language (`members_display: 4.5 million`,
/// `4,5 millones`; a video's `duration: "3:20"`): a translation writes them its own way, but
/// with the same figures (see [`figures`]).
const FIGURE_TEXT: [&str; 2] = ["members_display", "duration"];

/// The figures written in `text`, each as its digits without separators (`.`, `,`, spaces:
/// "4.5 million" and "4,5 millones" both give "45", "688,000" and "688.000" "688000"), so that
/// the same figure written the way of any language compares equal.
fn figures(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            cur.push(c);
        } else if !cur.is_empty()
            && matches!(c, '.' | ',' | ' ' | '\u{a0}' | '\u{202f}' | '\'')
            && chars.peek().is_some_and(char::is_ascii_digit)
        {
            // A separator inside a figure: left out.
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The ways a count `n` may be written in words, as [`figures`] reads them: its digits
/// (`258000` for "258,000", "258.000"), in thousands ("258 mil"), in millions to a tenth
/// ("4.5 million", "4,5 millones": `45`; "4 millones": `4`).
fn figure_forms(n: i64) -> Vec<String> {
    let mut out = vec![n.to_string()];
    if n >= 1_000 && n % 1_000 == 0 {
        out.push((n / 1_000).to_string());
    }
    if n >= 1_000_000 && n % 100_000 == 0 {
        let (whole, tenth) = (n / 1_000_000, n / 100_000 % 10);
        out.push(format!("{whole}{tenth}"));
        if tenth == 0 {
            out.push(whole.to_string());
        }
    }
    out
}

/// Taxonomy fields: a translation is listed under its original's terms, so it may repeat them
/// but not change them.
pub(crate) const TERMS: [&str; 5] = ["regions", "region", "topics", "audiences", "series"];

/// QA Q91: front matter keys written in Spanish (`título:`, `fecha:`, `resumen:`), as an editor
/// who writes the text in Spanish may write them too. Keys are the same in every language; each
/// entry is the Spanish word (lower case, without accents) and the key it means.
const SPANISH_KEYS: [(&str, &str); 40] = [
    ("titulo", "title"),
    ("resumen", "summary"),
    ("sumario", "summary"),
    ("fecha", "date"),
    ("actualizado", "updated"),
    ("actualizada", "updated"),
    ("actualizacion", "updated"),
    ("revisado", "reviewed"),
    ("revisada", "reviewed"),
    ("revision", "reviewed"),
    ("autor", "author"),
    ("autora", "author"),
    ("autores", "authors"),
    ("regiones", "regions"),
    ("region", "region"),
    ("temas", "topics"),
    ("tema", "topics"),
    ("publico", "audiences"),
    ("publicos", "audiences"),
    ("audiencias", "audiences"),
    ("serie", "series"),
    ("imagen", "image"),
    ("texto_alternativo", "image_alt"),
    ("imagen_alt", "image_alt"),
    ("pie_de_imagen", "image_caption"),
    ("borrador", "draft"),
    ("alias", "aliases"),
    ("peso", "weight"),
    ("traduccion_de", "translation_of"),
    ("duracion", "duration"),
    ("departamento", "department"),
    ("equipo", "team"),
    ("resultados", "results"),
    ("transcripcion", "transcript"),
    ("subtitulos", "captions"),
    ("editorial", "publisher"),
    ("ano", "year"),
    ("tipo", "kind"),
    ("fecha_de_publicacion", "publish_date"),
    ("fecha_de_caducidad", "expiry_date"),
];

/// The front matter key a Spanish key means (`título` → `title`), when `names` (the keys of the
/// document's collection) has it: `region` for a practice's `región`, `regions` for a story's.
pub(crate) fn key_for_spanish(key: &str, names: &[&str]) -> Option<&'static str> {
    let folded: String = key
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'á' => 'a',
            'é' => 'e',
            'í' => 'i',
            'ó' => 'o',
            'ú' | 'ü' => 'u',
            'ñ' => 'n',
            ' ' | '-' => '_',
            c => c,
        })
        .collect();
    let en = SPANISH_KEYS.iter().find(|(es, _)| *es == folded)?.1;
    if names.contains(&en) {
        return Some(en);
    }
    // `región`/`regiones`: a practice has one `region`, the other collections `regions`.
    if en.starts_with("region") {
        return ["regions", "region"]
            .into_iter()
            .find(|k| names.contains(k));
    }
    None
}

/// `stories/x.es.md` → (`stories/x.md`, `Some("es")`); a file without a language-like suffix
/// is returned as is with `None`. A suffix is language-like when it is a BCP 47 tag shape:
/// two or three letters, then `-` subtags (`es`, `pt-br`).
/// Every content file's path goes through it, several times (three per file in a build): a path
/// without a suffix is given back as it is, not copied.
pub(crate) fn split_lang(rel: &str) -> (Cow<'_, str>, Option<&str>) {
    let file = rel.rsplit_once('/').map_or(rel, |(_, f)| f);
    let Some(stem) = file.strip_suffix(".md") else {
        return (Cow::Borrowed(rel), None);
    };
    match stem.rsplit_once('.') {
        Some((name, code)) if !name.is_empty() && is_lang_tag(code) => {
            // `rel` without `.{code}`: what comes before it, then `.md`.
            let before = &rel[..rel.len() - ".md".len() - code.len() - 1];
            let mut base = String::with_capacity(before.len() + ".md".len());
            base.push_str(before);
            base.push_str(".md");
            (Cow::Owned(base), Some(code))
        }
        _ => (Cow::Borrowed(rel), None),
    }
}

fn is_lang_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The error for a file whose language suffix is not one of the site's other languages.
pub(crate) fn undeclared(path: &Path, base_rel: &str, code: &str, schemas: &Schemas) -> Diagnostic {
    let default = schemas.default_lang();
    let name = base_rel.rsplit('/').next().unwrap_or(base_rel);
    if code == default {
        return Diagnostic::error(
            path,
            1,
            1,
            format!("`{code}` is the default language: its documents have no language suffix"),
        )
        // Hostile i18n s22: it said "if {name} is there already", which lmp can look up.
        .with_help(match crate::fsx::is_file(&path.with_file_name(name)) {
            true => format!(
                "{name} is there already: this file is another copy of that document: compare the two, keep the text you want in {name}, and delete this file (renaming it would replace {name})"
            ),
            false => format!("rename the file to {name}"),
        });
    }
    let others: Vec<&str> = schemas.langs.iter().skip(1).map(String::as_str).collect();
    let lower = code.to_ascii_lowercase();
    if lower != code && (others.contains(&lower.as_str()) || lower == default) {
        let stem = name.strip_suffix(".md").unwrap_or(name);
        let fixed = if lower == default {
            name.to_string()
        } else {
            format!("{stem}.{lower}.md")
        };
        // QA Q117: renaming over a translation that exists would replace it.
        let help = if crate::fsx::is_file(&path.with_file_name(&fixed)) {
            format!(
                "language codes in file names are lower case, and {fixed} is there already: compare the two files, keep the text you want in {fixed}, and delete this one (renaming it would replace {fixed})"
            )
        } else {
            format!("language codes in file names are lower case: rename the file to {fixed}")
        };
        return Diagnostic::error(
            path,
            1,
            1,
            format!("`{code}` (from the file name) is not a language of this site"),
        )
        .with_help(help);
    }
    let d = Diagnostic::error(
        path,
        1,
        1,
        format!("`{code}` (from the file name) is not a language of this site"),
    );
    let stem = name.strip_suffix(".md").unwrap_or(name);
    // Its original is there: renaming the file to it would write over it (QA Q90).
    let original_exists = crate::fsx::is_file(&path.with_file_name(name));
    // QA s14: a site of one language said "named with one of the site's language codes
    // before `.md`: ;" (none).
    if others.is_empty() {
        let own = |c: &str| match c {
            "en" => "English",
            "es" => "Español",
            "fr" => "Français",
            "zh" => "中文",
            "vi" => "Tiếng Việt",
            "tl" => "Tagalog",
            "ko" => "한국어",
            _ => "…",
        };
        return d.with_help(format!(
            "this site has one language, `{default}`: to publish translations, list its languages in config.yaml: `languages: {{{default}: {{name: {}}}, {code}: {{name: {}}}}}` (docs/translations.md){}",
            own(default),
            own(code),
            not_a_translation(path, stem, code)
                .filter(|_| !original_exists)
                .map(|h| format!("; {h}"))
                .unwrap_or_default()
        ));
    }
    match suggest(code, others.iter().copied()) {
        Some(s) => d.with_help(format!(
            "did you mean `{s}`? Rename the file to {stem}.{s}.md (the site's other languages: {})",
            others.join(", ")
        )),
        None if original_exists => {
            let names: Vec<String> = others.iter().map(|o| format!("{stem}.{o}.md")).collect();
            d.with_help(format!(
                "a translation of {name} is named with one of the site's language codes before `.md`: {}; or declare `{code}` in config.yaml under `languages:`",
                names.join(", ")
            ))
        }
        None => d.with_help(format!(
            "declare it in config.yaml under `languages:` (e.g. `{code}: {{name: ...}}`){}",
            not_a_translation(path, stem, code)
                .map(|h| format!("; {h}"))
                .unwrap_or_default()
        )),
    }
}

/// Hostile author s21: `dr.who.md`, `meeting.kp.md` are read as translations (`who`, `kp`); the
/// help said to rename them `dr.md`, losing a word of the name. The name that keeps it.
/// `None` when a file has that name already (renaming would replace it).
fn not_a_translation(path: &Path, stem: &str, code: &str) -> Option<String> {
    let fixed = format!("{stem}-{code}.md");
    (!crate::fsx::is_file(&path.with_file_name(&fixed))).then(|| format!(
        "if it is not a translation, rename the file to {fixed} (a `.` before the last word of a file name makes that word a language code)"
    ))
}

/// The error for `stories/x.es_MX.md`: a language code written the way of a system locale
/// (`es_MX`, `en_US`, `fr_CA`), which is not a language tag (those have `-`), so lmp would read
/// the file as a document of the default language named `x.es_MX` (fix s19: it was published so,
/// with only the warning that it copies `x.md`). `None` for any other name: the code's first part
/// must be a language of the site or be followed by a region (`fr_CA`), so that a name such as
/// `notes.faq_old.md` stays a document of its own.
pub(crate) fn underscored(path: &Path, rel: &str, schemas: &Schemas) -> Option<Diagnostic> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let (base, code) = name.strip_suffix(".md")?.rsplit_once('.')?;
    if base.is_empty() || !code.contains('_') {
        return None;
    }
    let dashed = code.replace('_', "-");
    if !is_lang_tag(&dashed) {
        return None;
    }
    let (first, region) = dashed.split_once('-')?;
    let first = first.to_ascii_lowercase();
    let known = schemas.langs.contains(&first);
    let is_region = (region.len() == 2 && region.bytes().all(|b| b.is_ascii_alphabetic()))
        || (region.len() == 3 && region.bytes().all(|b| b.is_ascii_digit()));
    if !known && !is_region {
        return None;
    }
    let default = schemas.default_lang();
    let d = Diagnostic::error(
        path,
        1,
        1,
        format!(
            "`{code}` (from the file name) is not a language code: lmp reads {name} as a document of its own in the site's default language (`{default}`), not as a translation"
        ),
    );
    let there = |file: &str| crate::fsx::is_file(&path.with_file_name(file));
    let original = format!("{base}.md");
    let help = if first == default {
        match there(&original) {
            true => format!(
                "`{default}` is the default language, whose documents have no language suffix, and {original} is there already: this file is a copy of it: delete it or give it a name of its own"
            ),
            false => format!(
                "`{default}` is the default language, whose documents have no language suffix: rename the file to {original}"
            ),
        }
    } else if known {
        let fixed = format!("{base}.{first}.md");
        match there(&fixed) {
            true => format!(
                "a translation is named like its original with the site's language code (`{first}`) before `.md`, and {fixed} is there already: compare the two files, keep the text you want in {fixed}, and delete this one"
            ),
            false => format!(
                "a translation is named like its original with the site's language code (`{first}`) before `.md`: rename the file to {fixed}"
            ),
        }
    } else {
        let others: Vec<&str> = schemas.langs.iter().skip(1).map(String::as_str).collect();
        match others.is_empty() {
            true => format!(
                "this site has one language, `{default}`: rename the file to a name without `.{code}`, or list its languages in config.yaml under `languages:` (docs/translations.md)"
            ),
            false => format!(
                "a translation is named like its original with one of the site's language codes before `.md` ({}): rename the file, or declare `{first}` in config.yaml under `languages:`",
                others
                    .iter()
                    .map(|o| format!("{base}.{o}.md"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    };
    Some(d.with_help(help))
}

/// The error for `stories/x-es.md` (or `x_es.md`) next to `stories/x.md`, where `es` is a
/// language of the site: a translation named the way other tools or habits name one, which lmp
/// would read as a document of the default language (QA Q90). `None` for any other name.
pub(crate) fn misnamed(path: &Path, rel: &str, schemas: &Schemas) -> Option<Diagnostic> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let stem = name.strip_suffix(".md")?;
    let (original, code) = stem.rsplit_once(['-', '_'])?;
    let code = code.to_ascii_lowercase();
    if original.is_empty() || !schemas.is_translation_lang(&code) {
        return None;
    }
    let original_name = format!("{original}.md");
    if !crate::fsx::is_file(&path.with_file_name(&original_name)) {
        return None;
    }
    Some(
        Diagnostic::error(
            path,
            1,
            1,
            format!(
                "{name} looks like the `{code}` translation of {original_name}, but lmp reads it as a document of its own"
            ),
        )
        .with_help(format!(
            "did you mean {original}.{code}.md? A translation sits next to its original with the language before `.md`: rename the file to {original}.{code}.md"
        )),
    )
}

/// The words of a file name (`ive-got-your-back` → ive, got, your, back): parts of three
/// letters or more, and numbers.
fn name_words(stem: &str) -> Vec<&str> {
    stem.split(['-', '_', '.'])
        .filter(|w| w.len() >= 3 || (!w.is_empty() && w.bytes().all(|b| b.is_ascii_digit())))
        .collect()
}

/// The original the missing `original` (a rel path) most likely became: a document in its
/// folder with no `lang` translation yet that keeps the old address in its `aliases:` (the way
/// to rename a page without breaking links), or else whose file name or title has at least two
/// and at least half of the missing name's words (most first; session 19: `lmp-celebrates-20th-year.md`
/// renamed `lmp-20-years.md` shares one word of its name, three of its title).
fn renamed_original<'a, S: std::hash::BuildHasher>(
    original: &str,
    lang: &str,
    originals: &HashMap<&'a str, usize, S>,
    docs: &[Arc<Document>],
) -> Option<&'a str> {
    let (folder, name) = original.rsplit_once('/').unwrap_or(("", original));
    let stem = name.strip_suffix(".md").unwrap_or(name);
    let want = name_words(stem);
    let translated: std::collections::HashSet<&str> = docs
        .iter()
        .filter_map(|d| d.translation.as_ref().filter(|_| d.lang == lang))
        .map(|t| t.original.as_str())
        .collect();
    let candidates = || {
        originals
            .iter()
            .filter(|(rel, _)| rel.rsplit_once('/').map_or("", |(f, _)| f) == folder)
            .filter(|(rel, _)| !translated.contains(*rel))
    };
    let aliased = candidates()
        .filter(|&(_, &i)| {
            docs[i]
                .common
                .aliases
                .iter()
                .any(|a| a.trim_end_matches('/').rsplit('/').next() == Some(stem))
        })
        .map(|(rel, _)| *rel)
        .min();
    if aliased.is_some() {
        return aliased;
    }
    if want.len() < 2 {
        return None;
    }
    candidates()
        .filter_map(|(rel, &i)| {
            let n = rel.rsplit('/').next().unwrap_or(rel);
            let have = name_words(n.strip_suffix(".md").unwrap_or(n));
            let title = docs[i].common.title.to_lowercase();
            let title: Vec<&str> = title.split(|c: char| !c.is_alphanumeric()).collect();
            let shared = want
                .iter()
                .filter(|w| have.contains(w) || title.iter().any(|t| t.eq_ignore_ascii_case(w)))
                .count();
            (shared >= 2 && 2 * shared >= want.len()).then_some((shared, *rel))
        })
        .max_by_key(|&(shared, rel)| (shared, std::cmp::Reverse(rel)))
        .map(|(_, rel)| rel)
}

/// Link every translation to its original, with what it inherits; drop (with an error) the
/// translations of documents that do not exist and second translations in one language;
/// exclude the translations of excluded (draft, scheduled, expired) documents the same way.
/// `broken` are the rel paths of the files whose front matter has errors: a translation of one
/// is an error caused by them (listed after them), not "an original that does not exist".
/// Also gives each document's translation group, as [`groups`] would find it in the documents
/// kept (it is known here, where [`groups`] looked every original up by its path again).
pub(crate) fn resolve(
    cfg: &Config,
    docs: Vec<Arc<Document>>,
    excluded: &mut HashMap<String, &'static str>,
    broken: &dyn Fn(&str) -> Option<std::path::PathBuf>,
) -> (Vec<Arc<Document>>, Vec<Diagnostic>, Vec<Vec<usize>>) {
    if docs.iter().all(|d| d.translation.is_none()) {
        let groups = vec![Vec::new(); docs.len()];
        return (docs, Vec::new(), groups);
    }
    // Keyed by their paths (hashed as short keys: SipHash was ~300 instructions an insert, on
    // the thread the graph stage waits for).
    let mut originals: HashMap<&str, usize, std::hash::BuildHasherDefault<crate::util::Short>> =
        HashMap::with_capacity_and_hasher(docs.len(), Default::default());
    originals.extend(
        docs.iter()
            .enumerate()
            .filter(|(_, d)| d.translation.is_none())
            .map(|(i, d)| (d.rel.as_str(), i)),
    );
    let mut diags = Vec::new();
    // Per original, its translations kept so far: (language, path).
    let mut seen: Vec<Vec<(&str, &Path)>> = vec![Vec::new(); docs.len()];
    // What becomes of each document: kept as it is, dropped, or inherits from an original
    // (with the number of diagnostics before its own, to keep their order).
    let mut fate = Vec::with_capacity(docs.len());
    for d in &docs {
        let Some(t) = &d.translation else {
            fate.push(Fate::Keep);
            continue;
        };
        fate.push(Fate::Drop);
        if let Some(why) = excluded.get(&t.original) {
            // A translation is published with its original. `draft` is each language's own
            // (docs/translations.md), so a translation that is not a draft itself while its
            // original is one would vanish without a word (QA Q74): say so. (`publish_date` and
            // `expiry_date` are inherited: a translation keeps its original's schedule.)
            if *why == crate::content::graph::DRAFT {
                let name = t.original.rsplit('/').next().unwrap_or(&t.original);
                diags.push(
                    d.warning_at(
                        "draft",
                        format!(
                            "this `{}` translation is not published: its original {name} is a draft",
                            d.lang
                        ),
                    )
                    .with_help(format!(
                        "a translation is published with its original: remove `draft: true` from {name} to publish both, or add `draft: true` here to keep this one unpublished without this warning"
                    )),
                );
            }
            excluded.insert(d.rel.clone(), why);
            continue;
        }
        // Where to point: its `translation_of:` if it has one, else the top of the file.
        let at = |msg: String| match d.positions.contains_key("translation_of") {
            true => d.error_at("translation_of", msg),
            false => Diagnostic::error(&d.path, 1, 1, msg).with_source(&d.whole_text()),
        };
        let Some(&o) = originals.get(t.original.as_str()) else {
            if let Some(path) = broken(&t.original) {
                diags.push(
                    at(format!(
                        "this `{}` translation is not built: its original {} has errors",
                        d.lang,
                        display_path(&path)
                    ))
                    .with_help("fix the errors of the original (listed above); its translation is built again with it")
                    .caused(),
                );
                continue;
            }
            // Named after a translation (`x.es.es.md`, as `lmp new story x.es --lang es` wrote
            // it): its "original" is a translation itself (hostile tester s17: it said the
            // original "cannot be read", with an error "listed above" that was not).
            let inner = t.original.strip_suffix(".md").and_then(|stem| {
                let (base, code) = stem.rsplit_once('.')?;
                cfg.schemas
                    .is_translation_lang(code)
                    .then(|| (format!("{base}.{code}.md"), code))
            });
            if let Some((inner, code)) = inner {
                let name = inner.rsplit('/').next().unwrap_or(&inner);
                let help = match docs.iter().any(|x| x.rel == inner) {
                    true => format!(
                        "a translation is named like its original with one language code: {name} is the `{code}` translation already: keep the text you want in it and delete this file"
                    ),
                    false => format!(
                        "a translation is named like its original with one language code: rename this file to {name}"
                    ),
                };
                diags.push(
                    at(format!(
                        "this is a translation (`{}`) of {inner}, which is a translation itself",
                        d.lang
                    ))
                    .with_help(help),
                );
                continue;
            }
            // The original is there but could not be read (not UTF-8, empty, too big): its error
            // says why; this one is caused by it (QA Q112).
            let on_disk = d
                .path
                .ancestors()
                .nth(d.rel.split('/').count())
                .map(|site| site.join(&t.original))
                .filter(|p| p.is_file());
            if let Some(path) = on_disk {
                diags.push(
                    at(format!(
                        "this `{}` translation is not built: its original {} cannot be read",
                        d.lang,
                        display_path(&path)
                    ))
                    .with_help("fix the error of the original (listed above); its translation is built again with it")
                    .caused(),
                );
                continue;
            }
            let mut e = at(format!(
                "this is a translation (`{}`) of {}, which does not exist",
                d.lang, t.original
            ));
            let names = originals.keys().copied();
            let by_key = d.positions.contains_key("translation_of");
            // Hostile i18n s22: `stories/x.es.md` beside `stories/x/index.md` (an original in a
            // folder of its own): its translation sits next to it, in that folder.
            let in_folder = t
                .original
                .strip_suffix(".md")
                .map(|stem| format!("{stem}/index.md"))
                .filter(|index| !by_key && originals.contains_key(index.as_str()));
            if let Some(index) = in_folder {
                let folder = index.strip_suffix("/index.md").unwrap_or(&index);
                diags.push(e.with_help(format!(
                    "its original is {index}: a translation sits next to its original, in its folder: move this file to {folder}/index.{}.md",
                    d.lang
                )));
                continue;
            }
            e = match suggest(&t.original, names) {
                // `translation_of: ive-got-yuor-back`: the value is the typo, not the file name.
                Some(s) if by_key => e.with_help(format!(
                    "did you mean `translation_of: {}`? It is the original's file name without `.md`",
                    s.rsplit('/').next().unwrap_or(s).trim_end_matches(".md")
                )),
                // Session 24: the original renamed to a near name (`first-story.md` →
                // `first-steps.md`): the name to give this file, not a rule to apply.
                Some(s) => {
                    let name = s.rsplit('/').next().unwrap_or(s);
                    let stem = name.strip_suffix(".md").unwrap_or(name);
                    e.with_help(format!(
                        "did you mean a translation of {s}? Rename this file to {stem}.{}.md (a translation has its original's name with `.{}` before `.md`)",
                        d.lang, d.lang
                    ))
                }
                None => match renamed_original(&t.original, &d.lang, &originals, &docs) {
                    // QA s13: the original renamed (`ive-got-your-back.md` →
                    // `got-your-back.md`) left "write the original first".
                    Some(o) => {
                        let name = o.rsplit('/').next().unwrap_or(o);
                        let stem = name.strip_suffix(".md").unwrap_or(name);
                        // Session 19: or a translation named in its own language
                        // (`hank-primavera-2014.es.md`): `translation_of:` keeps that name.
                        e.with_help(format!(
                            "{o} looks like its original, renamed: rename this file to {stem}.{}.md (a translation has its original's name with `.{}` before `.md`), or, to keep this file's name, add `translation_of: {stem}` to its front matter",
                            d.lang, d.lang
                        ))
                    }
                    // QA s15: `translation_of: does-not-exist` was told to name the file
                    // like its original, which `translation_of:` is there not to do.
                    None if by_key => {
                        let folder = t.original.rsplit_once('/').map_or("", |(f, _)| f);
                        e.with_help(format!(
                            "`translation_of:` is the file name, without `.md`, of a document in {folder}/: correct it, or write the original first"
                        ))
                    }
                    None => e.with_help(format!(
                        "a translation sits next to its original and has its name with `.{}` before `.md`: write the original first, or, if this file has a name of its own, add `translation_of:` with the original's file name without `.md`",
                        d.lang
                    )),
                },
            };
            diags.push(e);
            continue;
        };
        if let Some((_, first)) = seen[o].iter().find(|(l, _)| *l == d.lang) {
            diags.push(
                at(format!(
                    "a second `{}` translation of {}: {} is one already",
                    d.lang,
                    t.original,
                    display_path(first)
                ))
                .with_help("keep one translation per language: merge the two files and delete one"),
            );
            continue;
        }
        seen[o].push((d.lang.as_str(), &d.path));
        if let Some(f) = fate.last_mut() {
            *f = Fate::Inherit(o, diags.len());
        }
    }
    drop((originals, seen));
    // The merges, in parallel (at 10,000 documents with 2,003 translations they were ~20 ms
    // of the graph stage with the other core idle), each on the translation itself: a one-off
    // build holds its only reference, so it is not copied.
    let mut slots: Vec<Option<Arc<Document>>> = docs.into_iter().map(Some).collect();
    let owned: Vec<(usize, usize, Arc<Document>)> = fate
        .iter()
        .enumerate()
        .filter_map(|(k, f)| match *f {
            Fate::Inherit(o, _) => Some((k, o, slots[k].take()?)),
            _ => None,
        })
        .collect();
    let slots_ref = &slots;
    let merged: Vec<(usize, Document, Vec<Diagnostic>)> = owned
        .into_par_iter()
        .filter_map(|(k, o, t)| {
            let o = slots_ref[o].as_deref()?;
            let (doc, ds) = inherit_owned(cfg, Arc::unwrap_or_clone(t), o);
            Some((k, doc, ds))
        })
        .collect();
    let mut merged = merged.into_iter().peekable();
    let mut all_diags = Vec::with_capacity(diags.len());
    let mut diags = diags.into_iter();
    let mut taken = 0;
    let mut out = Vec::with_capacity(slots.len());
    // Where each document kept is in `out`, and each original's translations kept there.
    let mut at = vec![usize::MAX; slots.len()];
    let mut translated: Vec<(usize, usize)> = Vec::new();
    for (k, f) in fate.into_iter().enumerate() {
        match f {
            Fate::Keep => {
                if let Some(d) = slots[k].take() {
                    at[k] = out.len();
                    out.push(d);
                }
            }
            Fate::Drop => {}
            Fate::Inherit(o, before) => {
                let Some((_, doc, ds)) = merged.next_if(|(m, ..)| *m == k) else {
                    continue;
                };
                all_diags.extend(diags.by_ref().take(before - taken));
                taken = before;
                all_diags.extend(ds);
                translated.push((o, out.len()));
                out.push(Arc::new(doc));
            }
        }
    }
    all_diags.extend(diags);
    // The groups: each original's translations (in `out`'s order), then the original.
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); out.len()];
    for (o, i) in translated {
        members[at[o]].push(i);
    }
    let rank = |code: &str| {
        cfg.languages
            .iter()
            .position(|l| l.code == code)
            .unwrap_or(usize::MAX)
    };
    let mut groups = vec![Vec::new(); out.len()];
    for (o, mut group) in members.into_iter().enumerate() {
        if group.is_empty() {
            continue;
        }
        group.push(o);
        group.sort_by_key(|&i| (rank(&out[i].lang), i));
        for &i in &group {
            groups[i] = group.clone();
        }
    }
    (out, all_diags, groups)
}

/// Translations that are their original word for word: the same title and the same non-empty
/// text (hostile tester s17: an editor who starts a translation with `cp x.md x.es.md`, or a
/// symlink, published the English page as a Spanish one, `<html lang="es">`, read by screen
/// readers with a Spanish voice). A draft (as `lmp new --lang es` writes it) is not one. Made
/// from the graph at every build, the bodies compared by their digests, so that a body-only edit
/// in `lmp serve` (which keeps the last graph) is checked too.
pub(crate) fn copies(graph: &crate::content::graph::Graph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for t in &graph.docs {
        let Some(tr) = &t.translation else {
            continue;
        };
        let Some(o) = graph.by_rel.get(&tr.original).map(|&i| &graph.docs[i]) else {
            continue;
        };
        if t.common.draft
            || t.common.title != o.common.title
            || t.text.body_digest() != o.text.body_digest()
            || !has_prose(&t.body())
        {
            continue;
        }
        out.push(
            t.error_at(
                "title",
                format!(
                    "this `{}` translation has the title and the text of its original ({}) word for word: it would publish them as `{}`",
                    t.lang,
                    display_path(&o.path),
                    t.lang
                ),
            )
            .with_help(
                "translate the title and the text; until then, add `draft: true` (a draft is not published; `lmp serve --drafts` shows it)",
            ),
        );
    }
    out
}

/// Whether a body has words outside fenced blocks: a body of components alone (a region's
/// `{figures}`) may well be the same in every language.
fn has_prose(body: &str) -> bool {
    let mut fenced = false;
    body.lines().any(|l| {
        let t = l.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fenced = !fenced;
            return false;
        }
        !fenced && t.chars().any(char::is_alphabetic)
    })
}

/// What [`resolve`] does with a document: see there.
enum Fate {
    Keep,
    Drop,
    /// Inherit from the original at this index; the number of diagnostics before its own.
    Inherit(usize, usize),
}

/// The error of a translation `t` that gives a [`FIXED`] field `key` (`mine`) its original `o`
/// gives another value of (`theirs`), or does not give at all: a date or a figure is the same in
/// every language (hostile tester s17: `ubts: 9999` in the Spanish page of a region with no team
/// figures was shown there alone). A `key:` left empty adds nothing.
fn fixed_differs(
    at: &dyn Fn(&str, String) -> Diagnostic,
    o: &Document,
    key: &str,
    mine: &serde_json::Value,
    theirs: Option<&serde_json::Value>,
) -> Option<Diagnostic> {
    let show = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match theirs {
        Some(theirs) if mine != theirs => Some(
            at(
                key,
                format!(
                    "`{key}` differs from the original's ({} in {}): a translation may not change it",
                    show(theirs),
                    display_path(&o.path)
                ),
            )
            .with_help(format!(
                "remove `{key}:` from the translation (it inherits the original's), or correct the original"
            )),
        ),
        None if !mine.is_null() => Some(
            at(
                key,
                format!(
                    "`{key}` is not in the original ({}): a translation may not add a date or a figure",
                    display_path(&o.path)
                ),
            )
            .with_help(format!(
                "give `{key}:` in the original, for every language, and remove it from the translation"
            )),
        ),
        _ => None,
    }
}

/// Fields whose value decides where a document is listed in every language (the stories the
/// home page features, the order of a list's documents that share a date): the lists of a
/// language are its original's, each document shown in its translation, so a translation's own
/// value did nothing (hostile tester s17). It may repeat the original's, not change it.
pub(crate) const LISTED_AS_ORIGINAL: [(&str, &str); 2] = [
    (
        "featured",
        "the home page of every language features the stories its original features",
    ),
    (
        "weight",
        "the lists of every language keep the original's order",
    ),
];

/// A [`LISTED_AS_ORIGINAL`] field the translation `t` gives (`mine`) that differs from its
/// original's (`theirs`; none is `false` or `0`, as the original is read).
fn listed_differs(
    at: &dyn Fn(&str, String) -> Diagnostic,
    o: &Document,
    key: &str,
    why: &str,
    mine: &serde_json::Value,
    theirs: Option<&serde_json::Value>,
) -> Option<Diagnostic> {
    use serde_json::Value;
    let unset = |v: Option<&Value>| match v {
        None | Some(Value::Null) | Some(Value::Bool(false)) => None,
        Some(Value::Number(n)) if n.as_i64() == Some(0) => None,
        Some(v) => Some(v.clone()),
    };
    let (a, b) = (unset(Some(mine)), unset(theirs));
    if a == b {
        return None;
    }
    let was = match (theirs, key) {
        (Some(v), _) if !v.is_null() => v.to_string(),
        (_, "featured") => "false".to_string(),
        _ => "none".to_string(),
    };
    Some(
        at(
            key,
            format!(
                "`{key}` differs from the original's ({was} in {}): {why}",
                display_path(&o.path)
            ),
        )
        .with_help(format!(
            "remove `{key}:` from the translation (it inherits the original's); to change it, change it in the original, for every language"
        )),
    )
}

/// What the translation gives (`own`, its own front matter values) that it may not change: a
/// [`FIXED`] date or figure, a [`LISTED_AS_ORIGINAL`] field, a [`FIGURE_TEXT`]'s figures or its
/// [`TERMS`], compared with its original `o`'s. `at` places a diagnostic at a key of the
/// translation: a document's, or the stub's of a translation whose front matter has other errors
/// (so that both come in one run).
pub(crate) fn against_original(
    own: &serde_json::Map<String, serde_json::Value>,
    o: &Document,
    at: &dyn Fn(&str, String) -> Diagnostic,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    // The original's value of `key` that the translation inherits unless it gives its own.
    let theirs = |key: &str| match NOT_INHERITED.contains(&key) {
        true => None,
        false => o.values.get(key),
    };
    for key in FIXED {
        if let Some(mine) = own.get(key) {
            diags.extend(fixed_differs(at, o, key, mine, theirs(key)));
        }
    }
    for (key, why) in LISTED_AS_ORIGINAL {
        if let Some(mine) = own.get(key) {
            diags.extend(listed_differs(at, o, key, why, mine, theirs(key)));
        }
    }
    // A figure written in words (QA audit s16: `members_display: 4,6 millones` in the Spanish
    // page of a region of 4.5 million was published): the same figures as the original's, when
    // both write any.
    for key in FIGURE_TEXT {
        let (Some(serde_json::Value::String(mine)), Some(serde_json::Value::String(theirs))) =
            (own.get(key), theirs(key))
        else {
            continue;
        };
        let (a, b) = (figures(mine), figures(theirs));
        if !a.is_empty() && !b.is_empty() && a != b {
            diags.push(
                at(
                    key,
                    format!(
                        "`{key}` gives another figure than the original's (\"{theirs}\" in {}): a translation may write it in its language, not change it",
                        display_path(&o.path)
                    ),
                )
                .with_help(
                    "write the original's figure the way of this language (\"4.5 million\" is \"4,5 millones\" in Spanish), or correct the original",
                ),
            );
        }
    }
    // Session 24: a region whose original gives `members` and no `members_display` (its pages
    // write `members` the way of each language): a translation's `members_display` was
    // published as given, "259.000" on the Spanish pages beside the English "258,000". Its
    // figures must be `members`'s, in any of the ways a language writes it.
    if let (Some(serde_json::Value::String(mine)), None | Some(serde_json::Value::Null), Some(n)) = (
        own.get("members_display"),
        theirs("members_display"),
        theirs("members").and_then(serde_json::Value::as_i64),
    ) {
        let (a, forms) = (figures(mine), figure_forms(n));
        if !a.is_empty() && !a.iter().any(|f| forms.contains(f)) {
            diags.push(
                at(
                    "members_display",
                    format!(
                        "`members_display` gives another figure than the original's `members` ({n} in {}): a translation may write it in its language, not change it",
                        display_path(&o.path)
                    ),
                )
                .with_help(
                    "remove `members_display:` (the page writes the original's `members` the way of its language), or write that figure, or correct the original",
                ),
            );
        }
    }
    // Terms: the lists, term pages and search filters of every language list a document under
    // its original's terms (their slugs are shared), so a translation may repeat them, in any
    // order, but not change them (QA Q16: its own `topics:` were shown on the page only).
    for key in TERMS {
        let Some(mine) = own.get(key) else {
            continue;
        };
        let terms = |v: Option<&serde_json::Value>| -> Vec<String> {
            let mut out: Vec<String> = match v {
                Some(serde_json::Value::Array(a)) => a
                    .iter()
                    .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
                    .collect(),
                Some(serde_json::Value::String(s)) => vec![s.clone()],
                Some(serde_json::Value::Null) | None => Vec::new(),
                Some(other) => vec![other.to_string()],
            };
            out.sort();
            out.dedup();
            out
        };
        let theirs = terms(theirs(key));
        if terms(Some(mine)) != theirs {
            let was = if theirs.is_empty() {
                "none".to_string()
            } else {
                theirs.join(", ")
            };
            diags.push(
                at(
                    key,
                    format!(
                        "`{key}` differs from the original's ({was} in {}): a translation is listed under its original's terms",
                        display_path(&o.path)
                    ),
                )
                .with_help(format!(
                    "remove `{key}:` from the translation (it inherits the original's); if they are wrong, change them in the original, for every language"
                )),
            );
        }
    }
    diags
}

/// A translation `t` with what it inherits from its original `o`: every front matter field it
/// does not give but its own text ([`NOT_INHERITED`]); its URL is the original's under the
/// language's prefix, or its own `slug`'s. A [`FIXED`] field that differs is an error.
pub(crate) fn inherit(cfg: &Config, t: &Document, o: &Document) -> (Document, Vec<Diagnostic>) {
    inherit_owned(cfg, t.clone(), o)
}

/// [`inherit`] into the translation `t` itself.
fn inherit_owned(cfg: &Config, t: Document, o: &Document) -> (Document, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let own = t
        .translation
        .as_ref()
        .map(|t| t.own.clone())
        .unwrap_or_default();
    diags.extend(against_original(&own, o, &|k, m| t.error_at(k, m)));
    // The merged front matter: the translation's own values, then those of the original's it
    // inherits and does not give. Its fields are taken from the two documents, each already
    // read from its own values (copying and sorting the original's values for each
    // translation, then reading them back, was ~25,000 instructions a translation: 51 M of a
    // 10,000-document build with 2,003 translations); only its `extra` values, and the
    // collection's fields when the translation gives one of them, are read from it as it is.
    let mine = |key: &str| own.contains_key(key) || NOT_INHERITED.contains(&key);
    let merged = || {
        own.iter().chain(
            o.values
                .iter()
                .filter(|(k, _)| !NOT_INHERITED.contains(&k.as_str()) && !own.contains_key(*k)),
        )
    };
    let values = || {
        serde::de::value::MapDeserializer::<_, serde_json::Error>::new(
            merged().map(|(k, v)| (k.as_str(), v)),
        )
    };
    let own_slug = t.common.slug.clone();
    let mut doc = t;
    let fields_named = crate::content::collections::serde_names_of(|d| {
        Fields::deserialize_as(o.collection, d).map(|_| ())
    });
    let fields = match fields_named.iter().any(|k| mine(k)) {
        true => Fields::deserialize_as(o.collection, values()),
        // The original's own, read from the same values.
        false => Ok(o.fields.clone()),
    };
    match fields {
        Ok(f) => {
            // The translation's own fields, and those it never inherits; each once.
            let names = own
                .keys()
                .map(String::as_str)
                .filter(|k| !NOT_INHERITED.contains(k))
                .chain(NOT_INHERITED);
            doc.common = Common::merged(std::mem::take(&mut doc.common), &o.common, names);
            doc.fields = f;
        }
        Err(e) => {
            diags.push(Diagnostic::error(
                &doc.path,
                1,
                1,
                format!("front matter: {e}"),
            ));
        }
    }
    doc.extra = merged()
        .filter(|(k, _)| cfg.schemas.is_extra(o.collection, k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let prefix = cfg.lang(&doc.lang).map_or("/", |l| l.prefix.as_str());
    let prefix = prefix.trim_end_matches('/');
    let path = match &own_slug {
        Some(own_slug) => o.collection.url_for(own_slug),
        None => {
            doc.slug = o.slug.clone();
            o.url.clone()
        }
    };
    doc.url = format!("{prefix}{path}");
    (doc, diags)
}

/// Text fields that document pages show and a translation inherits unless it gives them again
/// (and `captions`, a file of text). On the translation's page an inherited one is in the
/// original's language, and is marked so (`lang`, WCAG 3.1.2); see [`field_langs`].
pub(crate) const TEXT_FIELDS: [&str; 15] = [
    "author",
    "image_alt",
    "image_caption",
    "image_credit",
    "duration",
    "department",
    "team",
    "results",
    "publisher",
    "members_display",
    "medical_offices_label",
    "served_area",
    // Audit s16: a region's "Q2 2019" was shown in the Spanish sentence "El consejo … se reunió
    // por primera vez en Q2 2019." unmarked and never named by `check --translations`.
    "council_since",
    "transcript",
    "captions",
];

/// For each of [`TEXT_FIELDS`] and `d`'s config-added text fields: the language of the value `d`
/// shows when it is the original's (its translation does not give it), else "". The same keys
/// for every document, so a template can test `doc.lang_of.author` on any page.
pub(crate) fn field_langs(cfg: &Config, d: &Document) -> BTreeMap<String, String> {
    let extra = d
        .extra
        .iter()
        .filter(|(_, v)| v.is_string())
        .map(|(k, _)| k.as_str());
    let original = &cfg.default_language().code;
    TEXT_FIELDS
        .iter()
        .copied()
        .chain(extra)
        .map(|k| {
            let inherited = d
                .translation
                .as_ref()
                .is_some_and(|t| !t.own.contains_key(k));
            let lang = if inherited && *original != d.lang {
                original.clone()
            } else {
                String::new()
            };
            (k.to_string(), lang)
        })
        .collect()
}

/// For each document, the documents of its translation group (itself, its original and the
/// original's translations) in the order of the site's languages; an empty list for a document
/// with no translation. (What [`resolve`] gives with the documents; kept as the reference of its
/// test.)
#[cfg(test)]
pub(crate) fn groups(cfg: &Config, docs: &[Arc<Document>]) -> Vec<Vec<usize>> {
    // The translations by their original's path, then the originals: a site without
    // translations (or with few) hashes no other document's path.
    let mut by_original: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        if let Some(t) = &d.translation {
            by_original.entry(t.original.as_str()).or_default().push(i);
        }
    }
    if by_original.is_empty() {
        return vec![Vec::new(); docs.len()];
    }
    for (i, d) in docs.iter().enumerate() {
        if d.translation.is_none()
            && let Some(members) = by_original.get_mut(d.rel.as_str())
        {
            members.push(i);
        }
    }
    let rank = |code: &str| {
        cfg.languages
            .iter()
            .position(|l| l.code == code)
            .unwrap_or(usize::MAX)
    };
    let mut out = vec![Vec::new(); docs.len()];
    for (_, mut members) in by_original {
        if members.len() < 2 {
            continue;
        }
        members.sort_by_key(|&i| (rank(&docs[i].lang), i));
        for &i in &members {
            out[i] = members.clone();
        }
    }
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_count_is_found_in_the_ways_a_language_writes_it() {
        let found = |n: i64, text: &str| {
            let forms = super::figure_forms(n);
            super::figures(text).iter().any(|f| forms.contains(f))
        };
        assert!(found(258_000, "258.000"));
        assert!(found(258_000, "more than 258,000"));
        assert!(found(258_000, "258 mil"));
        assert!(found(4_500_000, "4,5 millones"));
        assert!(found(4_000_000, "4 millones"));
        assert!(found(4_000_000, "4,0 millones"));
        assert!(!found(258_000, "259.000"));
        assert!(!found(4_500_000, "4,6 millones"));
        assert!(!found(4_500_000, "4 millones"));
        assert!(!found(688_500, "688 mil"));
    }

    #[test]
    fn figures_compare_equal_whatever_the_language_writes_them() {
        let f = super::figures;
        assert_eq!(f("4.5 million"), f("4,5 millones"));
        assert_eq!(f("more than 688,000"), f("más de 688.000"));
        assert_eq!(f("688,000"), f("688\u{a0}000"));
        // The same figure written with other digits is another figure to compare: the
        // translation writes the original's digits ("4,5 millones", not "4 500 000").
        assert_ne!(f("4.5 million"), f("4 500 000"));
        assert_ne!(f("688,000"), f("68.800"));
        assert_eq!(f("3:20"), ["3", "20"]);
        assert_ne!(f("4.5 million"), f("4,6 millones"));
        assert_ne!(f("more than 688,000"), f("más de 689.000"));
        assert_ne!(f("0:30"), f("0:24"));
        assert!(f("four and a half million").is_empty());
        // A separator not followed by a digit ends the figure: two figures, not one.
        assert_eq!(f("35, 249"), ["35", "249"]);
    }

    use super::*;
    use serde::Deserialize as _;

    #[test]
    fn language_suffixes() {
        assert_eq!(
            split_lang("stories/x.es.md"),
            (Cow::from("stories/x.md"), Some("es"))
        );
        assert_eq!(
            split_lang("index.es.md"),
            (Cow::from("index.md"), Some("es"))
        );
        assert_eq!(
            split_lang("stories/x.pt-br.md"),
            (Cow::from("stories/x.md"), Some("pt-br"))
        );
        for plain in [
            "stories/x.md",
            "stories/v1.2.md",
            "stories/a.b.md",
            "stories/.es.md",
        ] {
            assert_eq!(split_lang(plain), (Cow::from(plain), None), "{plain}");
        }
        // As the version that made a new path for every file (kept here as the reference), on
        // random paths of these parts.
        let reference = |rel: &str| -> (String, Option<String>) {
            let (dir, file) = match rel.rsplit_once('/') {
                Some((d, f)) => (Some(d), f),
                None => (None, rel),
            };
            let Some(stem) = file.strip_suffix(".md") else {
                return (rel.to_string(), None);
            };
            match stem.rsplit_once('.') {
                Some((name, code)) if !name.is_empty() && is_lang_tag(code) => {
                    let base = match dir {
                        Some(d) => format!("{d}/{name}.md"),
                        None => format!("{name}.md"),
                    };
                    (base, Some(code.to_string()))
                }
                _ => (rel.to_string(), None),
            }
        };
        let parts = [
            "stories", "/", ".", "es", "md", ".md", "x", "pt-br", "ñ", "v1", "-", "index", "_",
        ];
        let mut next = crate::util::rng(0x5eed_0016_1b1b_0016);
        for _ in 0..20_000 {
            let rel: String = (0..next(8)).map(|_| parts[next(parts.len())]).collect();
            let (base, code) = split_lang(&rel);
            assert_eq!(
                (base.into_owned(), code.map(str::to_string)),
                reference(&rel),
                "{rel}"
            );
        }
    }

    /// [`inherit`] before it read the merged front matter in place: it made the merged map
    /// (the original's values, then the translation's own laid over them) and read it back.
    /// Kept as the reference of `inherit_reads_the_merged_front_matter_as_the_merged_map`.
    fn reference(cfg: &Config, t: Document, o: &Document) -> (Document, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let own = t
            .translation
            .as_ref()
            .map(|t| t.own.clone())
            .unwrap_or_default();
        let mut merged: serde_json::Map<String, serde_json::Value> = o
            .values
            .iter()
            .filter(|(k, _)| !NOT_INHERITED.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for key in FIXED {
            if let Some(mine) = own.get(key) {
                diags.extend(fixed_differs(
                    &|k, m| t.error_at(k, m),
                    o,
                    key,
                    mine,
                    merged.get(key),
                ));
            }
        }
        for (key, why) in LISTED_AS_ORIGINAL {
            if let Some(mine) = own.get(key) {
                diags.extend(listed_differs(
                    &|k, m| t.error_at(k, m),
                    o,
                    key,
                    why,
                    mine,
                    merged.get(key),
                ));
            }
        }
        // A figure written in words (QA audit s16: `members_display: 4,6 millones` in the Spanish
        // page of a region of 4.5 million was published): the same figures as the original's, when
        // both write any.
        for key in FIGURE_TEXT {
            let (Some(serde_json::Value::String(mine)), Some(serde_json::Value::String(theirs))) =
                (own.get(key), merged.get(key))
            else {
                continue;
            };
            let (a, b) = (figures(mine), figures(theirs));
            if !a.is_empty() && !b.is_empty() && a != b {
                diags.push(
                    t.error_at(
                        key,
                        format!(
                            "`{key}` gives another figure than the original's (\"{theirs}\" in {}): a translation may write it in its language, not change it",
                            display_path(&o.path)
                        ),
                    )
                    .with_help(
                        "write the original's figure the way of this language (\"4.5 million\" is \"4,5 millones\" in Spanish), or correct the original",
                    ),
                );
            }
        }
        // Session 24: `members_display` when the original writes none, against its `members`.
        if let (Some(serde_json::Value::String(mine)), None, Some(n)) = (
            own.get("members_display"),
            merged.get("members_display").filter(|v| !v.is_null()),
            merged.get("members").and_then(serde_json::Value::as_i64),
        ) {
            let forms = figure_forms(n);
            if figures(mine).iter().all(|f| !forms.contains(f)) && !figures(mine).is_empty() {
                diags.push(
                    t.error_at(
                        "members_display",
                        format!(
                            "`members_display` gives another figure than the original's `members` ({n} in {}): a translation may write it in its language, not change it",
                            display_path(&o.path)
                        ),
                    )
                    .with_help(
                        "remove `members_display:` (the page writes the original's `members` the way of its language), or write that figure, or correct the original",
                    ),
                );
            }
        }
        // Terms: the lists, term pages and search filters of every language list a document under
        // its original's terms (their slugs are shared), so a translation may repeat them, in any
        // order, but not change them (QA Q16: its own `topics:` were shown on the page only).
        for key in TERMS {
            let Some(mine) = own.get(key) else {
                continue;
            };
            let terms = |v: Option<&serde_json::Value>| -> Vec<String> {
                let mut out: Vec<String> = match v {
                    Some(serde_json::Value::Array(a)) => a
                        .iter()
                        .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
                        .collect(),
                    Some(serde_json::Value::String(s)) => vec![s.clone()],
                    Some(serde_json::Value::Null) | None => Vec::new(),
                    Some(other) => vec![other.to_string()],
                };
                out.sort();
                out.dedup();
                out
            };
            let theirs = terms(merged.get(key));
            if terms(Some(mine)) != theirs {
                let was = if theirs.is_empty() {
                    "none".to_string()
                } else {
                    theirs.join(", ")
                };
                diags.push(
                    t.error_at(
                        key,
                        format!(
                            "`{key}` differs from the original's ({was} in {}): a translation is listed under its original's terms",
                            display_path(&o.path)
                        ),
                    )
                    .with_help(format!(
                        "remove `{key}:` from the translation (it inherits the original's); if they are wrong, change them in the original, for every language"
                    )),
                );
            }
        }
        for (k, v) in own.iter() {
            merged.insert(k.clone(), v.clone());
        }
        let merged = serde_json::Value::Object(merged);
        let own_slug = t.common.slug.clone();
        let mut doc = t;
        match (
            Common::deserialize(&merged),
            Fields::from_json(o.collection, &merged),
        ) {
            (Ok(mut c), Ok(f)) => {
                // Inline markdown as `content::parse` marks it, at its place in the file it
                // is taken from: the translation's, or (`inherited`) the original's.
                let mut theirs = c.clone();
                let mark = crate::content::front_matter::mark_inline_markdown;
                mark(&mut c, &doc.positions, &doc.whole_text());
                mark(&mut theirs, &o.positions, &o.whole_text());
                for m in &mut c.marked {
                    if !own.contains_key(m.key)
                        && let Some(t) = theirs.marked.iter().find(|t| t.key == m.key)
                    {
                        *m = crate::markdown::MarkedField {
                            inherited: true,
                            ..t.clone()
                        };
                    }
                }
                doc.common = c;
                doc.fields = f;
            }
            (Err(e), _) | (_, Err(e)) => {
                diags.push(Diagnostic::error(
                    &doc.path,
                    1,
                    1,
                    format!("front matter: {e}"),
                ));
            }
        }
        if let serde_json::Value::Object(m) = &merged {
            doc.extra = m
                .iter()
                .filter(|(k, _)| cfg.schemas.is_extra(o.collection, k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
        }
        let prefix = cfg.lang(&doc.lang).map_or("/", |l| l.prefix.as_str());
        let prefix = prefix.trim_end_matches('/');
        let path = match &own_slug {
            Some(own_slug) => o.collection.url_for(own_slug),
            None => {
                doc.slug = o.slug.clone();
                o.url.clone()
            }
        };
        doc.url = format!("{prefix}{path}");
        (doc, diags)
    }

    /// `values` changed at random: each value given again as it is, changed (a text with
    /// inline markdown, a shorter list, another number or flag), or (but `keep`) taken away.
    fn shuffled(
        values: &serde_json::Map<String, serde_json::Value>,
        from: &serde_json::Map<String, serde_json::Value>,
        keep: &str,
        next: &mut impl FnMut(usize) -> usize,
    ) -> serde_json::Map<String, serde_json::Value> {
        use serde_json::Value;
        let mut out = values.clone();
        for (k, v) in from {
            match next(4) {
                0 => {
                    out.insert(k.clone(), v.clone());
                }
                1 => {
                    let changed = match v {
                        Value::String(s) => Value::String(format!("{s} *en* [es](/es/)")),
                        Value::Array(a) => Value::Array(
                            a.iter().take(a.len().saturating_sub(1)).cloned().collect(),
                        ),
                        Value::Number(_) => Value::from(7),
                        Value::Bool(b) => Value::Bool(!b),
                        other => other.clone(),
                    };
                    out.insert(k.clone(), changed);
                }
                2 if k != keep => {
                    out.remove(k);
                }
                _ => {}
            }
        }
        out
    }

    /// `d` with the front matter values `values`, read as `content::parse` reads them (`None`
    /// when they do not make a document of its kind).
    fn with_values(
        d: &Document,
        values: serde_json::Map<String, serde_json::Value>,
    ) -> Option<Document> {
        let v = serde_json::Value::Object(values.clone());
        let mut common = Common::deserialize(&v).ok()?;
        let text = d.whole_text();
        crate::content::front_matter::mark_inline_markdown(&mut common, &d.positions, &text);
        let fields = match (Fields::from_json(d.collection, &v), &d.translation) {
            (Ok(f), _) => f,
            (Err(_), Some(_)) => Fields::empty(d.collection),
            (Err(_), None) => return None,
        };
        let mut d = d.clone();
        d.common = common;
        d.fields = fields;
        let values = Arc::new(values);
        match &mut d.translation {
            Some(t) => t.own = values.clone(),
            None => d.values = values,
        }
        Some(d)
    }

    /// A translation inherits exactly what the merged map gave (common and collection fields,
    /// `extra`, URL, slug, and the same messages for a changed date, figure or term): every
    /// translation of the sample site as it is, and with random sets of its original's values
    /// given again, changed (inline markdown among them), or (but its title) taken away, from
    /// originals changed at random too.
    #[test]
    fn inherit_reads_the_merged_front_matter_as_the_merged_map() {
        let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("site");
        let cfg = crate::site::load_config(&crate::site::Options::new(&site)).unwrap();
        let (docs, _) = crate::content::load(&site, &site, &cfg.schemas).unwrap();
        let by_rel: HashMap<&str, &Document> = docs.iter().map(|d| (d.rel.as_str(), d)).collect();
        let mut next = crate::util::rng(0x51f1_5eed_0016_0016);
        let (mut compared, mut with_messages, mut marked) = (0, 0, 0);
        for t in docs.iter().filter(|d| d.translation.is_some()) {
            let o = by_rel[t.translation.as_ref().unwrap().original.as_str()];
            for round in 0..60 {
                let (mut t, mut o) = (t.clone(), o.clone());
                if round > 0 {
                    let own = t.translation.as_ref().unwrap().own.clone();
                    let Some(changed) =
                        with_values(&t, shuffled(&own, &o.values, "title", &mut next))
                    else {
                        continue;
                    };
                    t = changed;
                }
                if round % 3 == 2 {
                    let values = o.values.clone();
                    let Some(changed) =
                        with_values(&o, shuffled(&values, &values, "title", &mut next))
                    else {
                        continue;
                    };
                    o = changed;
                }
                let (got, got_diags) = inherit(&cfg, &t, &o);
                let (want, want_diags) = reference(&cfg, t.clone(), &o);
                let what = format!("{} from {} (round {round})", t.rel, o.rel);
                assert_eq!(got.common, want.common, "common of {what}");
                assert_eq!(got.fields, want.fields, "fields of {what}");
                assert_eq!(got.extra, want.extra, "extra of {what}");
                assert_eq!(
                    (&got.url, &got.slug),
                    (&want.url, &want.slug),
                    "URL of {what}"
                );
                let messages = |d: &[Diagnostic]| format!("{d:?}");
                assert_eq!(
                    messages(&got_diags),
                    messages(&want_diags),
                    "messages of {what}"
                );
                compared += 1;
                with_messages += usize::from(!got_diags.is_empty());
                marked += usize::from(!t.common.marked.is_empty() || !o.common.marked.is_empty());
            }
        }
        // The sample site's translations (at least 10), and rounds with errors, and with
        // inline markdown, among them.
        assert!(compared >= 400, "{compared} translations compared");
        assert!(with_messages >= 40, "{with_messages} with messages");
        assert!(marked >= 40, "{marked} with inline markdown");
    }

    /// The groups [`resolve`] gives are those [`groups`] finds in the documents it keeps: the
    /// sample site's documents, with random ones left out (originals whose translations are
    /// then dropped among them) or excluded (a draft original: its translation is dropped).
    #[test]
    fn resolve_groups_translations_as_groups_does() {
        let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("site");
        let cfg = crate::site::load_config(&crate::site::Options::new(&site)).unwrap();
        let (docs, _) = crate::content::load(&site, &site, &cfg.schemas).unwrap();
        let mut next = crate::util::rng(0x0016_9e37_79b9_0016);
        let mut grouped = 0;
        for round in 0..50 {
            let mut excluded = HashMap::new();
            let mut some: Vec<Arc<Document>> = Vec::new();
            for d in &docs {
                match (round, next(5)) {
                    (0, _) | (_, 1..) => some.push(Arc::new(d.clone())),
                    _ if next(2) == 0 => {}
                    _ => {
                        excluded.insert(d.rel.clone(), crate::content::graph::DRAFT);
                    }
                }
            }
            let n = some.len();
            let (kept, _, got) = resolve(&cfg, some, &mut excluded, &|_| None);
            assert!(kept.len() <= n);
            assert_eq!(got, groups(&cfg, &kept), "round {round}");
            grouped += got.iter().filter(|g| !g.is_empty()).count();
        }
        assert!(grouped >= 500, "{grouped} documents in groups");
    }

    /// [`Common::merged`] takes each field serde reads for a `Common` by its name (the field
    /// that name gives when deserialized), and only those.
    #[test]
    fn common_merged_takes_every_field() {
        use serde_json::{Value, json};
        let names = crate::content::collections::serde_names::<Common>();
        assert!(names.len() >= 20, "{names:?}");
        let value = |name: &str| match name {
            "date" | "updated" | "reviewed" | "publish_date" | "expiry_date" => json!("2020-01-02"),
            "draft" => json!(true),
            "weight" => json!(5),
            "aliases" | "regions" | "topics" | "audiences" | "series" => json!(["x"]),
            other => json!(format!("x-{other}")),
        };
        let all: serde_json::Map<String, Value> =
            names.iter().map(|n| (n.to_string(), value(n))).collect();
        let mine = Common::deserialize(&Value::Object(all)).unwrap();
        for name in names {
            let merged = Common::merged(mine.clone(), &Common::default(), [*name].into_iter());
            let mut one = json!({"title": ""});
            one[*name] = value(name);
            assert_eq!(merged, Common::deserialize(&one).unwrap(), "{name}");
        }
        for name in ["", "marked", "Title", "titles", "lang", "regions "] {
            let merged = Common::merged(mine.clone(), &Common::default(), [name].into_iter());
            assert_eq!(merged, Common::default(), "{name}");
        }
    }
}

/// What `lmp check --translations` found for one language.
#[derive(Debug)]
pub(crate) struct Coverage {
    pub code: String,
    pub name: String,
    /// Documents in the default language (drafts left out) and how many have a published
    /// translation (not a draft).
    pub documents: usize,
    pub translated: usize,
    /// Of those translated, how many are older than their original.
    pub outdated: usize,
    /// Documents whose translation is still a draft (`draft: true`, as `lmp new --lang`
    /// writes it): not published, so not translated yet (QA s17: they were counted as
    /// translated, and their originals not listed as untranslated).
    pub drafts: usize,
    /// Documents whose translation is not published today: a `publish_date` of its own after
    /// today, or an `expiry_date` of its own before (they were counted as translated).
    pub unpublished: usize,
    /// The home page's translation, apart: the summary line of `lmp check` ("Checked 64
    /// documents") does not count the home page either (hostile tester s17: "of 65"). `None`
    /// when the site has no home page.
    pub home: Option<HomeState>,
    /// Originals not published yet (a `publish_date` after today): not counted in
    /// `documents`, and how many of them have a published translation already.
    pub scheduled: usize,
    pub scheduled_translated: usize,
}

/// Where the translation of the home page is (see [`Coverage::home`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum HomeState {
    Translated,
    Outdated,
    Draft,
    Missing,
}

impl Coverage {
    /// The line `lmp check --translations` prints for a language: "es (Español): 14 of 65
    /// documents translated, 0 outdated, 1 in draft".
    /// Then the home page's state and, when there are any, the scheduled documents: "; the
    /// home page translated; 1 scheduled document not counted, 0 of them translated".
    pub(crate) fn line(&self) -> String {
        let mut line = format!(
            "{} ({}): {} of {} documents translated, {} outdated, {} in draft",
            self.code, self.name, self.translated, self.documents, self.outdated, self.drafts
        );
        if self.unpublished > 0 {
            line.push_str(&format!(", {} not published today", self.unpublished));
        }
        if let Some(home) = self.home {
            line.push_str(match home {
                HomeState::Translated => "; the home page translated",
                HomeState::Outdated => "; the home page translated, outdated",
                HomeState::Draft => "; the home page in draft",
                HomeState::Missing => "; the home page not translated",
            });
        }
        if self.scheduled > 0 {
            line.push_str(&format!(
                "; {} scheduled {} not counted, {} of them translated",
                self.scheduled,
                if self.scheduled == 1 {
                    "document"
                } else {
                    "documents"
                },
                self.scheduled_translated
            ));
        }
        line
    }

    /// The line for every language together, when there are two or more to translate into:
    /// the sums of theirs ("all languages: 20 of 130 translations (2 languages × 65
    /// documents), 1 outdated, 2 in draft").
    pub(crate) fn total_line(langs: &[Coverage]) -> Option<String> {
        if langs.len() < 2 {
            return None;
        }
        let sum = |f: fn(&Coverage) -> usize| langs.iter().map(f).sum::<usize>();
        let mut line = format!(
            "all languages: {} of {} translations ({} languages × {} documents), {} outdated, {} in draft",
            sum(|c| c.translated),
            sum(|c| c.documents),
            langs.len(),
            langs[0].documents,
            sum(|c| c.outdated),
            sum(|c| c.drafts)
        );
        if sum(|c| c.unpublished) > 0 {
            line.push_str(&format!(", {} not published today", sum(|c| c.unpublished)));
        }
        if langs[0].home.is_some() {
            line.push_str(&format!(
                "; the home page translated in {} of {}",
                langs
                    .iter()
                    .filter(|c| matches!(c.home, Some(HomeState::Translated | HomeState::Outdated)))
                    .count(),
                langs.len()
            ));
        }
        Some(line)
    }
}

/// `lmp check --translations`: per language, a warning for every document with no translation,
/// for every translation older than its original's `updated`/`reviewed` date (or with no such
/// date of its own when the original has one), and for every translation that still shows text
/// fields of its original ([`TEXT_FIELDS`]); and the counts per language.
///
/// The documents counted are those `lmp check` counts with the same options (published on
/// `opts.today`, drafts left out unless `--drafts`), the home page apart; an original not
/// published yet is listed apart, to translate before its `publish_date`, and an expired one
/// is left out: there is nothing to translate on a page no one sees any more.
pub(crate) fn coverage(
    cfg: &Config,
    opts: &crate::site::Options,
) -> Result<(Vec<Coverage>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let site_dir = &opts.site_dir;
    let (docs, _) = crate::content::load(site_dir, site_dir, &cfg.schemas)
        .map_err(|e| vec![Diagnostic::error(site_dir, 0, 0, format!("{e:#}"))])?;
    let scheduled =
        |d: &Document| !opts.future && d.common.publish_date.is_some_and(|p| p > opts.today);
    let expired =
        |d: &Document| !opts.expired && d.common.expiry_date.is_some_and(|e| e < opts.today);
    let originals: Vec<&Document> = docs
        .iter()
        .filter(|d| d.translation.is_none() && (opts.drafts || !d.common.draft) && !expired(d))
        .collect();
    let mut by: HashMap<(&str, &str), &Document> = HashMap::new();
    for d in &docs {
        if let Some(t) = &d.translation {
            by.entry((t.original.as_str(), d.lang.as_str()))
                .or_insert(d);
        }
    }
    // A date after today is left out (the build warns at it): an original's `reviewed:` typed
    // a year ahead marked every translation outdated until then (session 23).
    let newest = |d: &Document| {
        [d.common.updated, d.common.reviewed]
            .into_iter()
            .flatten()
            .filter(|&on| !crate::content::graph::after_today(on, opts.today))
            .max()
    };
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    for lang in cfg.languages.iter().skip(1) {
        let mut c = Coverage {
            code: lang.code.clone(),
            name: lang.name.clone(),
            documents: 0,
            translated: 0,
            outdated: 0,
            drafts: 0,
            unpublished: 0,
            home: None,
            scheduled: 0,
            scheduled_translated: 0,
        };
        for o in &originals {
            // Where this original is counted: the home page and the scheduled ones apart.
            let home = o.collection == Collection::Home;
            let later = !home && scheduled(o);
            match (home, later) {
                (true, _) => c.home = Some(HomeState::Missing),
                (_, true) => c.scheduled += 1,
                _ => c.documents += 1,
            }
            let Some(t) = by.get(&(o.rel.as_str(), lang.code.as_str())) else {
                let name = o.rel.rsplit('/').next().unwrap_or(&o.rel);
                let file = format!("{}.{}.md", name.trim_end_matches(".md"), lang.code);
                // QA s15: and the command that starts it (`lmp new … --lang`).
                let start = |before: &str| {
                    if home {
                        format!(
                            "translate it in {file}, next to this file: `lmp new home index --lang {}` starts it",
                            lang.code
                        )
                    } else {
                        format!(
                            "translate it in {file}, next to this file{before}: `lmp new {} {} --lang {}` starts it",
                            o.collection.singular(),
                            name.trim_end_matches(".md"),
                            lang.code
                        )
                    }
                };
                warnings.push(match (later, o.common.publish_date) {
                    (true, Some(on)) => o
                        .warning_at(
                            "publish_date",
                            format!(
                                "not published yet (`publish_date: {on}`): no `{}` ({}) translation",
                                lang.code, lang.name
                            ),
                        )
                        .with_help(start(" before then")),
                    _ => Diagnostic::warning(
                        &o.path,
                        1,
                        1,
                        format!("no `{}` ({}) translation", lang.code, lang.name),
                    )
                    .with_help(start("")),
                });
                continue;
            };
            if t.common.draft {
                match (home, later) {
                    (true, _) => c.home = Some(HomeState::Draft),
                    (_, true) => {}
                    _ => c.drafts += 1,
                }
                warnings.push(
                    t.warning_at(
                        "draft",
                        format!(
                            "this `{}` ({}) translation is a draft: it is not published, and {} is not translated yet",
                            lang.code,
                            lang.name,
                            display_path(&o.path)
                        ),
                    )
                    .with_help(
                        "once its title, summary and text are translated, delete `draft: true` to publish it (`lmp serve --drafts` shows it meanwhile)",
                    ),
                );
                continue;
            }
            // Its own dates: not published today, its original shown in its place.
            let not_yet = scheduled(t).then_some(t.common.publish_date).flatten();
            let gone = expired(t).then_some(t.common.expiry_date).flatten();
            if not_yet.is_some() || gone.is_some() {
                let shown = format!(
                    "{} is shown in {} in its place",
                    display_path(&o.path),
                    cfg.default_language().name
                );
                warnings.push(match (not_yet, gone) {
                    (Some(on), _) => t.warning_at(
                        "publish_date",
                        format!(
                            "this `{}` ({}) translation is not published yet (`publish_date: {on}`): until then {shown}",
                            lang.code, lang.name
                        ),
                    ),
                    (_, on) => t.warning_at(
                        "expiry_date",
                        format!(
                            "this `{}` ({}) translation expired (`expiry_date: {}`): {shown}",
                            lang.code,
                            lang.name,
                            on.map(|d| d.to_string()).unwrap_or_default()
                        ),
                    ),
                });
                match (home, later) {
                    (true, _) => c.home = Some(HomeState::Missing),
                    (_, true) => {}
                    _ => c.unpublished += 1,
                }
                continue;
            }
            match (home, later) {
                (true, _) => c.home = Some(HomeState::Translated),
                (_, true) => c.scheduled_translated += 1,
                _ => c.translated += 1,
            }
            // Text it still shows in the original's language (a screen reader reads it).
            let own = t
                .translation
                .as_ref()
                .map(|x| x.own.clone())
                .unwrap_or_default();
            let theirs = &o.values;
            let english: Vec<&str> = TEXT_FIELDS
                .iter()
                .copied()
                .filter(|k| *k != "captions" && !own.contains_key(*k))
                .filter(|k| match theirs.get(*k) {
                    Some(serde_json::Value::String(v)) => !v.trim().is_empty(),
                    Some(serde_json::Value::Array(v)) => !v.is_empty(),
                    _ => false,
                })
                .collect();
            if !english.is_empty() {
                let default = &cfg.default_language().name;
                warnings.push(
                    Diagnostic::warning(
                        &t.path,
                        1,
                        1,
                        format!(
                            "still in {default}, taken from the original: {}",
                            english.join(", ")
                        ),
                    )
                    .with_source(&t.whole_text())
                    .with_help(format!(
                        "give them again in this file, in {} (the page marks them as {default} until then)",
                        lang.name
                    )),
                );
            }
            // QA Q69: its own picture with its own `image_alt`, which may still say what the
            // original's picture shows (lmp cannot tell): one line to review.
            if let (Some(mine), Some(orig)) = (own.get("image"), theirs.get("image"))
                && mine != orig
                && own.contains_key("image_alt")
            {
                let show = |v: &serde_json::Value| {
                    v.as_str().map_or_else(|| v.to_string(), str::to_string)
                };
                warnings.push(
                    t.warning_at(
                        "image",
                        format!(
                            "this translation shows its own picture ({}), not the original's ({})",
                            show(mine),
                            show(orig)
                        ),
                    )
                    .with_help(format!(
                        "check that its `image_alt` says what {} shows, not what the original's picture shows",
                        show(mine)
                    )),
                );
            }
            let Some(changed) = newest(o) else { continue };
            let problem = match newest(t) {
                Some(mine) if mine >= changed => None,
                Some(mine) => Some(format!(
                    "this translation ({}) is older than its original, updated or reviewed {}",
                    mine, changed
                )),
                None => Some(format!(
                    "the original was updated or reviewed {changed}; this translation has no `updated:` or `reviewed:` date"
                )),
            };
            if let Some(msg) = problem {
                match (home, later) {
                    (true, _) => c.home = Some(HomeState::Outdated),
                    (_, true) => {}
                    _ => c.outdated += 1,
                }
                let key = if t.positions.contains_key("reviewed") {
                    "reviewed"
                } else {
                    "updated"
                };
                warnings.push(t.warning_at(key, msg).with_help(format!(
                    "bring it up to date with {}, then set `reviewed:` to today's date",
                    display_path(&o.path)
                )));
            }
        }
        // Term names the language does not give: shown in the default language (QA Q68).
        let missing: Vec<String> = cfg
            .taxonomies
            .iter()
            .filter_map(|(tax, terms)| {
                let names = lang.terms.get(tax.name());
                let slugs: Vec<&str> = terms
                    .iter()
                    .filter(|t| names.is_none_or(|n| !n.contains_key(&t.slug)))
                    .map(|t| t.slug.as_str())
                    .collect();
                (!slugs.is_empty()).then(|| format!("{tax}: {}", slugs.join(", ")))
            })
            .collect();
        // The site's own words the language does not give (config.yaml gives it the default
        // language's): shown in that language on every page (hostile i18n s22: the check listed
        // the untranslated terms but not an untranslated menu).
        let default_lang = cfg.default_language();
        let inherited: Vec<&str> = [
            (
                "title",
                lang.title == default_lang.title && !lang.title.is_empty(),
            ),
            (
                "description",
                lang.description == default_lang.description && !lang.description.is_empty(),
            ),
            (
                "menu",
                lang.menu == default_lang.menu && !lang.menu.is_empty(),
            ),
        ]
        .into_iter()
        .filter_map(|(key, same)| same.then_some(key))
        .collect();
        if !inherited.is_empty() {
            let config = crate::config::ConfigFile::read(site_dir);
            let at = crate::config::declared_at(config.text(), "languages", &lang.code)
                .unwrap_or((1, 1));
            let keys: Vec<String> = inherited.iter().map(|k| format!("`{k}`")).collect();
            warnings.push(
                config
                    .warning(
                        at,
                        format!(
                            "language `{}` has no {} of its own: its pages show the {} one",
                            lang.code,
                            keys.join(", "),
                            default_lang.name
                        ),
                    )
                    .with_help(format!(
                        "write {} in {} under `languages: {}:` in config.yaml, as the top of the file gives the {} ones (a menu entry: `- {{name: ..., url: /stories/}}`)",
                        keys.join(", "),
                        lang.name,
                        lang.code,
                        default_lang.name
                    )),
            );
        }
        if !missing.is_empty() {
            let config = crate::config::ConfigFile::read(site_dir);
            let at = crate::config::declared_at(config.text(), "languages", &lang.code)
                .unwrap_or((1, 1));
            let default = &cfg.default_language().name;
            warnings.push(
                config
                    .warning(
                        at,
                        format!(
                            "terms with no `{}` name, shown in {default}: {}",
                            lang.code,
                            missing.join("; ")
                        ),
                    )
                    .with_help(format!(
                        "name them under `languages: {}: terms:` (a taxonomy, then `slug: name`)",
                        lang.code
                    )),
            );
        }
        out.push(c);
    }
    Ok((out, warnings))
}
