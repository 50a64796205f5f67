//! Links inside a translation (issue 16): a relative link to another document leads to that
//! document's translation in the same language when there is one, else to the original, and then
//! says so (`hreflang="en"`); a fragment must exist in the page the link leads to.

use crate::harness::Project;

/// `stories/first-story.es.md` links to the guide (`#step-2`), to the second story (never
/// translated) and to the research page's Spanish file by name.
fn with_links(p: &Project) {
    p.write(
        "site/stories/first-story.es.md",
        "---\ntitle: La primera historia\nsummary: Una historia sobre un equipo.\n---\nLea [la guía](../guides/huddle.md#step-2), [la segunda historia](second-story.md) (en inglés)\ny [el informe](../research/mit-2003.md).\n",
    );
    p.write(
        "site/research/mit-2003.es.md",
        "---\ntitle: Los primeros años de la asociación\nsummary: Un informe sobre 1997 a junio de 2002.\n---\nEl informe estudió los primeros años.\n",
    );
}

#[test]
fn a_link_in_a_translation_leads_to_the_target_translation_or_says_it_is_english() {
    let p = Project::bilingual();
    with_links(&p);
    // The guide has a Spanish page, with the original's heading ids.
    p.write(
        "site/guides/huddle.es.md",
        "---\ntitle: Cómo hacer una reunión breve\nsummary: Diez minutos, de pie.\n---\n## Reúna al equipo {#step-1}\n\nTodos de pie.\n\n## Revise el tablero {#step-2}\n\nLas medidas.\n",
    );
    p.ok(&["build"]);
    let es = p.read("public/es/stories/first-story/index.html");
    // A translated target: its Spanish page, fragment kept, nothing to say.
    assert!(
        es.contains(r#"<a href="/es/guides/huddle/#step-2">la guía</a>"#),
        "{es}"
    );
    assert!(
        es.contains(r#"<a href="/es/research/mit-2003/">el informe</a>"#),
        "{es}"
    );
    // An untranslated target: the English page, and the link says it is English.
    assert!(
        es.contains(r#"<a href="/stories/second-story/" hreflang="en">la segunda historia</a>"#),
        "{es}"
    );
    // The English original's links are untouched.
    let en = p.read("public/stories/first-story/index.html");
    assert!(
        en.contains(r#"<a href="/guides/huddle/#step-2">the huddle guide</a>"#),
        "{en}"
    );
    assert!(
        en.contains(r#"<a href="/stories/second-story/">the second story</a>"#),
        "{en}"
    );
    // `lmp check` agrees (every link of every page, fragments included).
    p.ok(&["check"]);
}

#[test]
fn a_link_from_an_original_to_a_translation_file_stays_and_says_its_language() {
    let p = Project::bilingual();
    with_links(&p);
    let about = p.read("site/pages/about.md");
    p.write(
        "site/pages/about.md",
        &format!("{about}\nLea [la historia en español](../stories/first-story.es.md).\n"),
    );
    p.ok(&["build"]);
    let html = p.read("public/about/index.html");
    assert!(
        html.contains(
            r#"<a href="/es/stories/first-story/" hreflang="es">la historia en español</a>"#
        ),
        "{html}"
    );
}

#[test]
fn a_fragment_missing_in_the_target_translation_is_an_error_at_the_link() {
    let p = Project::bilingual();
    with_links(&p);
    // The Spanish guide forgot the original's id `step-2`.
    p.write(
        "site/guides/huddle.es.md",
        "---\ntitle: Cómo hacer una reunión breve\nsummary: Diez minutos, de pie.\n---\n## Reúna al equipo {#step-1}\n\nTodos de pie.\n\n## Revise el tablero\n\nLas medidas.\n",
    );
    let o = p.fails(&["build"]);
    assert!(
        o.stderr.contains(
            "site/stories/first-story.es.md:5:5: error: link to ../guides/huddle.md#step-2: there is no heading `#step-2` in its translation guides/huddle.es.md"
        ),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("give the heading in guides/huddle.es.md the original's id")
            || o.stderr
                .contains("the headings of guides/huddle.es.md have the ids"),
        "{}",
        o.stderr
    );
}

/// QA Q52: a link written as a site address says its language as a `.md` link does: from a
/// Spanish page to an English page (`/guides/huddle/`), from an English page to a Spanish one
/// (`/es/stories/first-story/`); an address in the page's own language, and a file, say nothing.
#[test]
fn a_link_written_as_an_address_of_another_language_says_so() {
    let p = Project::bilingual();
    p.write(
        "site/stories/first-story.es.md",
        "---\ntitle: La primera historia\nsummary: Una historia sobre un equipo.\n---\nLea [la guía](/guides/huddle/#step-2), [esta página](/es/stories/first-story/) y [la lista](/files/huddle-checklist.txt).\n",
    );
    let about = p.read("site/pages/about.md");
    p.write(
        "site/pages/about.md",
        &format!("{about}\nLea [la historia](/es/stories/first-story/) or [the guide](/guides/huddle/).\n"),
    );
    p.ok(&["build"]);
    let es = p.read("public/es/stories/first-story/index.html");
    assert!(
        es.contains(r#"<a href="/guides/huddle/#step-2" hreflang="en">la guía</a>"#),
        "{es}"
    );
    assert!(
        es.contains(r#"<a href="/es/stories/first-story/">esta página</a>"#),
        "{es}"
    );
    assert!(
        es.contains(r#"<a href="/files/huddle-checklist.txt">la lista</a>"#),
        "{es}"
    );
    let en = p.read("public/about/index.html");
    assert!(
        en.contains(r#"<a href="/es/stories/first-story/" hreflang="es">la historia</a>"#),
        "{en}"
    );
    assert!(
        en.contains(r#"<a href="/guides/huddle/">the guide</a>"#),
        "{en}"
    );
}
