//! Every word the theme prints comes from its strings files: the Spanish pages of the sample site
//! show none of the theme's English words (outside what is marked `lang="en"`: cards of documents
//! not yet translated, links to English pages).

use crate::harness::Project;
use std::path::Path;

/// The theme's English strings that differ from the Spanish ones and are long enough to be
/// recognised in a page (`key: value` lines of en.yaml).
fn english_words() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/lmp/i18n");
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    let parse = |text: String| -> Vec<(String, String)> {
        text.lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once(": "))
            .map(|(k, v)| (k.to_string(), v.trim_matches('"').to_string()))
            .collect()
    };
    let es = parse(read("es.yaml"));
    parse(read("en.yaml"))
        .into_iter()
        .filter(|(k, v)| {
            v.len() >= 8
                && !v.contains('{')
                && !v.contains('<')
                && !k.starts_with("month_")
                && es.iter().all(|(_, e)| e != v)
        })
        .map(|(_, v)| v)
        .collect()
}

/// `html` without the elements marked `lang="en"` and without the markdown components
/// (their words are not yet per language).
fn spanish_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let tag_end = rest[i..].find('>').map_or(rest.len(), |e| i + e + 1);
        let tag = &rest[i..tag_end];
        let skip = tag.contains(" lang=\"en\"")
            || tag.contains("class=\"component-")
            || tag.contains("class=\"player");
        let name: String = tag[1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if skip && !name.is_empty() {
            // Skip to the matching end tag (same name, nesting counted).
            let (open, close) = (format!("<{name}"), format!("</{name}>"));
            let mut depth = 0usize;
            let mut k = i;
            loop {
                let next_open = rest[k + 1..].find(&open).map(|p| p + k + 1);
                let next_close = rest[k + 1..].find(&close).map(|p| p + k + 1);
                match (next_open, next_close) {
                    (Some(o), Some(c)) if o < c => {
                        depth += 1;
                        k = o;
                    }
                    (_, Some(c)) if depth > 0 => {
                        depth -= 1;
                        k = c;
                    }
                    (_, Some(c)) => {
                        rest = &rest[c + close.len()..];
                        break;
                    }
                    _ => {
                        rest = "";
                        break;
                    }
                }
            }
        } else {
            out.push_str(tag);
            rest = &rest[tag_end..];
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn spanish_pages_show_no_english_theme_words() {
    let words = english_words();
    assert!(words.len() > 40, "{words:?}");
    let p = Project::sample_site();
    p.ok(&["build"]);
    let mut pages = Vec::new();
    let mut stack = vec![p.path("public/es")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "html") {
                pages.push(path);
            }
        }
    }
    pages.sort();
    assert!(pages.len() > 30, "{pages:?}");
    let mut found = Vec::new();
    for page in &pages {
        let html = std::fs::read_to_string(page).unwrap();
        let text = spanish_text(&html);
        for w in &words {
            if text.contains(w.as_str()) {
                found.push(format!("{}: {w:?}", page.display()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "English theme words on Spanish pages:\n{}",
        found.join("\n")
    );
}
