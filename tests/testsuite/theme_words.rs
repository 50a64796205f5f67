//! Every word the theme prints comes from its strings files: the Spanish pages of the sample site
//! show none of the theme's English words (outside what is marked `lang="en"`: cards of documents
//! not yet translated, links to English pages), markdown alerts, components and markdown's own
//! labels (tables, task lists, footnotes) included.

use crate::harness::Project;
use std::path::Path;

/// The theme's English strings that differ from the Spanish ones (`key: value` lines of en.yaml),
/// each with whether it is short (under 8 bytes: then only recognised as a whole element's text,
/// `>Note<`).
fn english_words() -> Vec<(String, bool)> {
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
            v.len() >= 3
                && !v.contains('<')
                && !k.starts_with("month_")
                && es.iter().all(|(_, e)| e != v)
        })
        // A text with `{placeholders}`: its pieces between them, the long ones.
        .flat_map(|(_, v)| {
            if v.contains('{') {
                v.split(['{', '}'])
                    .step_by(2)
                    .map(|piece| piece.trim().to_string())
                    .filter(|piece| piece.len() >= 8)
                    .collect()
            } else {
                vec![v]
            }
        })
        .map(|v| {
            let short = v.len() < 8;
            (v, short)
        })
        .collect()
}

/// `html` without the elements marked `lang="en"`.
fn spanish_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let tag_end = rest[i..].find('>').map_or(rest.len(), |e| i + e + 1);
        let tag = &rest[i..tag_end];
        let skip = tag.contains(" lang=\"en\"");
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

/// A page using every alert and component, in English and in Spanish: the Spanish one refers to
/// a region and a video that have no Spanish page (their names stay English, marked `lang="en"`),
/// and downloads a file over 1 MB (its size written the Spanish way).
const EVERY_COMPONENT: &str = r#"
> [!NOTE]
> A note.

> [!TIP]
> A tip.

> [!IMPORTANT]
> Something important.

> [!WARNING]
> A warning.

> [!CAUTION]
> A caution.

```{details}
summary: More

The details.
```

```{download}
file: /files/big.pdf
label: The big file
```

```{figure}
src: /images/huddle.jpg
alt: A huddle
caption: The team
credit: LMP
```

```{figures}
region: national
```

```{figures}
region: colorado
```

```{figures}
region: northern-california
```

```{quote}
by: A co-lead
role: Nurse

Partnership works.
```

```{video}
src: talk-without-player
```

```{video}
src: lmp-website-overview
```

```{video}
src: how-to-use-search
```

```{video}
src: https://www.youtube.com/watch?v=dQw4w9WgXcQ
title: A talk
```

| Measure | Before |
|---|---|
| Falls | 12 |

- [x] Send the agenda
- [ ] Book the room

A claim.[^n1]

[^n1]: The source.
"#;

fn with_every_component(p: &Project) {
    // A video page with no copy of the video and no address (every sample video now has a
    // clip): a `{video}` of it is a link to its page and transcript.
    p.write(
        "site/videos/talk-without-player.md",
        "---\ntitle: \"Learning to lead: a talk with no copy\"\n\
         date: 2013-07-22\nsummary: A talk with no copy of its recording.\n\
         transcript: |\n  The words of the talk.\n---\nNo copy of the recording.\n",
    );
    p.write(
        "site/pages/every-component.md",
        &format!("---\ntitle: Every component\n---\n{EVERY_COMPONENT}"),
    );
    let es = EVERY_COMPONENT
        .replace("A note.", "Una nota.")
        .replace("A tip.", "Un consejo.")
        .replace("Something important.", "Algo importante.")
        .replace("A warning.", "Una advertencia.")
        .replace("A caution.", "Una precaución.")
        .replace("summary: More", "summary: Más")
        .replace("The details.", "Los detalles.")
        .replace("The big file", "El archivo grande")
        .replace("A huddle", "Una reunión breve")
        .replace("The team", "El equipo")
        .replace("A co-lead", "Una colíder")
        .replace("Nurse", "Enfermera")
        .replace("Partnership works.", "La asociación funciona.")
        .replace("title: A talk", "title: Una charla")
        .replace("| Measure | Before |", "| Medida | Antes |")
        .replace("| Falls |", "| Caídas |")
        .replace("Send the agenda", "Enviar el orden del día")
        .replace("Book the room", "Reservar la sala")
        .replace("A claim.", "Una afirmación.")
        .replace("The source.", "La fuente.");
    p.write(
        "site/pages/every-component.es.md",
        &format!("---\ntitle: Todos los componentes\n---\n{es}"),
    );
    p.write_bytes("site/static/files/big.pdf", &vec![b'%'; 1_500_000]);
}

/// Whether `w` is in `text` as whole words ("Important" is not in "Importante").
fn contains_word(text: &str, w: &str) -> bool {
    let letter = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    text.match_indices(w).any(|(i, _)| {
        !letter(text[..i].chars().next_back()) && !letter(text[i + w.len()..].chars().next())
    })
}

#[test]
fn spanish_pages_show_no_english_theme_words() {
    let words = english_words();
    assert!(words.len() > 40, "{words:?}");
    let p = Project::sample_site();
    with_every_component(&p);
    p.ok(&["build"]);
    // The components speak the page's language: words, figures, dates and sizes.
    let es = p.read("public/es/every-component/index.html");
    for want in [
        r#"<p class="callout-title">Nota</p>"#,
        r#"<p class="callout-title">Consejo</p>"#,
        r#"<p class="callout-title">Importante</p>"#,
        r#"<p class="callout-title">Advertencia</p>"#,
        r#"<p class="callout-title">Precaución</p>"#,
        "(PDF, 1,5 MB)",
        r#"<a href="/es/regions/">Todas las regiones</a> en cifras <span class="as-of">a junio de 2021</span>"#,
        "<dd>3.651</dd>",
        "<dd>73 %</dd>",
        // Northern California has a Spanish page; Colorado does not: its name is config.yaml's
        // `terms: regions:` (the same word in Spanish), not marked English.
        r#"<a href="/es/regions/northern-california/">"#,
        r#"<a href="/regions/colorado/">Colorado</a> en cifras"#,
        // A video page with no Spanish version: its title stays English, marked, and the link says so.
        r#"<a class="button" href="/videos/talk-without-player/" hreflang="en">Vea “<span lang="en">Learning to lead: a talk with no copy</span>”</a>"#,
        // QA Q68: the link to an English page says so in words, too.
        r#"<a href="/videos/lmp-website-overview/" hreflang="en">página y transcripción</a> (en inglés)</figcaption>"#,
        "Reproducir “Una charla”",
        "Video: Una charla",
        // English captions on a Spanish page: the player's menu says they are in English.
        r#"srclang="en" label="Subtítulos (en inglés)""#,
        "El video lo muestra YouTube",
        // Markdown's own labels (QA Q72).
        r#"aria-label="Tabla: Medida""#,
        r#"<input type="checkbox" checked disabled aria-label="Hecho">"#,
        r#"<input type="checkbox" disabled aria-label="Pendiente">"#,
        r#"<section class="footnotes" aria-label="Notas al pie">"#,
        r#"aria-label="Volver a la referencia 1""#,
    ] {
        assert!(es.contains(want), "{want:?} not in the Spanish page:\n{es}");
    }
    let en = p.read("public/every-component/index.html");
    for want in [
        r#"<p class="callout-title">Note</p>"#,
        "(PDF, 1.5 MB)",
        "<dd>3,651</dd>",
        "Play “A talk”",
        r#"Watch “Learning to lead"#,
        r#"aria-label="Table: Measure""#,
        r#"aria-label="Not done""#,
        r#"aria-label="Footnotes""#,
        r#"aria-label="Back to reference 1""#,
    ] {
        assert!(en.contains(want), "{want:?} not in the English page:\n{en}");
    }
    assert!(!en.contains("<span lang="), "{en}");
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
        for (w, short) in &words {
            let seen = if *short {
                text.contains(&format!(">{w}<"))
            } else {
                contains_word(&text, w)
            };
            if seen {
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
