//! Search in Spanish on the sample site: one index per language, the Spanish one stemmed with
//! the Spanish stemmer and with accents folded both ways, reached with `lmp search --lang es`.
//! The relevance cases are shared with `tests/js/relevance-es.test.mjs` (the browser engine).

use crate::harness::{Project, RelevanceCase};

/// Spanish relevance cases (`tests/js/fixtures/relevance-es.json`): [query, a page that must
/// be in the top 3, why], searched with `--lang es`.
fn spanish_cases() -> Vec<RelevanceCase> {
    let cases: Vec<(String, String, String)> =
        serde_json::from_str(include_str!("../js/fixtures/relevance-es.json")).unwrap();
    cases
        .into_iter()
        .map(|(query, want, why)| RelevanceCase {
            query,
            args: vec!["--lang".into(), "es".into()],
            want,
            why,
        })
        .collect()
}

fn search(p: &Project, lang: &str, q: &str) -> Vec<String> {
    p.search(q, &["--lang", lang])
}

#[test]
fn spanish_search_finds_the_right_page_in_the_spanish_index_only() {
    let p = Project::sample_site();
    p.ok(&["build", "--quiet"]);
    let cases = spanish_cases();
    assert!(cases.len() >= 10);
    let misses = p.relevance_misses(&cases, |c, urls| {
        let english = urls.iter().find(|u| !u.starts_with("/es/"))?;
        Some(format!(
            "{:?}: an English page in the Spanish results: {english}",
            c.query
        ))
    });
    assert!(misses.is_empty(), "{}", misses.join("\n"));
    // Stemming, not just the same word: "negociaciones" also finds the story that only says
    // "negociación" (an English stemmer would not).
    let story = "/es/stories/lmp-celebrates-20th-year/";
    let html = p.read(&format!("public{story}index.html"));
    assert!(html.contains("negociación") && !html.contains("negociaciones"));
    assert!(search(&p, "es", "negociaciones").iter().any(|u| u == story));
    // One index per language: the English search (default or --lang en) has no Spanish page.
    for q in ["negociación", "sindicatos", "partnership", "region"] {
        let en = search(&p, "en", q);
        assert!(en.iter().all(|u| !u.starts_with("/es/")), "{q}: {en:?}");
        let o = p.ok(&["search", q, "--json"]);
        assert!(!o.stdout.contains("\"/es/"), "{q}: {}", o.stdout);
    }
    // The Spanish manifest says what it is, and sits under the Spanish prefix.
    let m: serde_json::Value =
        serde_json::from_str(&p.read("public/es/search/index/manifest.json")).unwrap();
    assert_eq!(m["lang"], "es");
    assert_eq!(m["stemmer"], "spanish");
    assert!(
        m["stopWords"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w == "para")
    );
    // Topic and audience names are the Spanish ones (config's `terms:`), in the filters and in
    // the words a page is found by; a region's is its Spanish page's title (below).
    let label = |facet: &str, slug: &str| -> String {
        m["facets"][facet]["values"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["slug"] == slug)
            .map(|v| v["label"].as_str().unwrap().to_string())
            .unwrap_or_default()
    };
    assert_eq!(label("topic", "bargaining"), "Negociación");
    assert_eq!(label("audience", "managers"), "Gerentes");
    let en: serde_json::Value =
        serde_json::from_str(&p.read("public/search/index/manifest.json")).unwrap();
    assert!(en.to_string().contains("\"label\":\"Managers\""));
    // "Liderazgo" is not in this story's text: only its topic's Spanish name says it.
    let story = "/es/stories/ive-got-your-back/";
    let source = p
        .read("site/stories/ive-got-your-back.es.md")
        .to_lowercase();
    assert!(!source.contains("liderazgo"));
    assert!(search(&p, "es", "liderazgo").iter().any(|u| u == story));
    // A Spanish page in Northern California: the region is named as its Spanish page is titled,
    // and a region without a Spanish page as config.yaml's `terms: regions:` names it.
    p.write(
        "site/stories/new-partnership-agreement-2018.es.md",
        "---\ntitle: Nuevo acuerdo de la asociación\nsummary: El acuerdo de 2018.\n---\nTexto.\n",
    );
    p.ok(&["build", "--quiet"]);
    let m: serde_json::Value =
        serde_json::from_str(&p.read("public/es/search/index/manifest.json")).unwrap();
    let regions = m["facets"]["region"]["values"].to_string();
    assert!(
        regions.contains("\"label\":\"Norte de California\"")
            && regions.contains("\"label\":\"Sur de California\""),
        "{regions}"
    );
    let found = search(&p, "es", "norte");
    assert!(
        found
            .iter()
            .any(|u| u == "/es/stories/new-partnership-agreement-2018/")
    );
}

#[test]
fn lang_all_searches_every_language_default_first() {
    let p = Project::built_sample_site();
    let o = p.ok(&["search", "ubt", "--lang", "all", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let langs = v["languages"].as_array().unwrap();
    let codes: Vec<&str> = langs.iter().map(|l| l["lang"].as_str().unwrap()).collect();
    assert_eq!(codes, ["en", "es"]);
    for l in langs {
        let urls: Vec<&str> = l["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["url"].as_str().unwrap())
            .collect();
        assert!(!urls.is_empty(), "{l}");
        let spanish = l["lang"] == "es";
        assert!(
            urls.iter().all(|u| u.starts_with("/es/") == spanish),
            "{urls:?}"
        );
    }
    let t = p.ok(&["search", "ubt", "--lang", "all"]).stdout;
    let (en, es) = (
        t.find("English (en): ").unwrap(),
        t.find("Español (es): ").unwrap(),
    );
    assert!(en < es, "{t}");
}

#[test]
fn an_unknown_search_language_is_an_error_with_a_suggestion() {
    let p = Project::built_sample_site();
    let o = p.run(&["search", "huddle", "--lang", "esp"]);
    assert_ne!(o.code, 0);
    assert!(
        o.stderr
            .contains("unknown language `esp`, did you mean `es`?"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("en, es"), "{}", o.stderr);
    assert!(o.stdout.is_empty(), "{}", o.stdout);
    let o = p.run(&["search", "huddle", "--lang", "fr"]);
    assert_ne!(o.code, 0);
    assert!(o.stderr.contains("unknown language `fr`"), "{}", o.stderr);
}

/// QA Q32 and Q30 from the terminal: a word that only English pages have says how many English
/// results there are; a typo says which word it matched as the pages write it (accents kept),
/// not as the index keeps it (folded, stemmed).
#[test]
fn spanish_search_points_to_english_results_and_shows_words_as_written() {
    let p = Project::built_sample_site();
    let o = p.ok(&["search", "grandmother", "--lang", "es"]);
    assert!(
        o.stdout.starts_with("0 results for \"grandmother\"\n"),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout
            .contains(" results in English (en): add `--lang en`, or `--lang all`)"),
        "{}",
        o.stdout
    );
    // A word the Spanish pages have: nothing about English.
    let o = p.ok(&["search", "sindicatos", "--lang", "es"]);
    assert!(!o.stdout.contains("in English"), "{}", o.stdout);
    // The other way (issue 16): a Spanish word looked for in English says the Spanish pages
    // have it; gibberish does not.
    let o = p.ok(&["search", "sindicatos"]);
    assert!(
        o.stdout.starts_with("0 results for \"sindicatos\"\n"),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout
            .contains(" results in Español (es): add `--lang es`, or `--lang all`)"),
        "{}",
        o.stdout
    );
    let o = p.ok(&["search", "qzxvbq"]);
    assert!(!o.stdout.contains("Español"), "{}", o.stdout);
    let o = p.ok(&["search", "reunon", "--lang", "es"]);
    assert!(
        o.stdout.contains("(\"reunon\" also matched \"reunión\")"),
        "{}",
        o.stdout
    );
    let o = p.ok(&["search", "huddel"]);
    assert!(
        o.stdout.contains("(\"huddel\" also matched \"huddle\")"),
        "{}",
        o.stdout
    );
    // Results in Spanish say their kind and date in Spanish, as the pages do; English ones keep
    // the collection's slug (what `--collection` takes) and English dates.
    let o = p.ok(&["search", "cuente conmigo", "--lang", "es"]);
    assert!(
        o.stdout.contains(
            "Cuente conmigo [Historias, 14 de mayo de 2013] /es/stories/ive-got-your-back/"
        ),
        "{}",
        o.stdout
    );
    let o = p.ok(&["search", "grandmother"]);
    assert!(
        o.stdout.contains("[stories, July 22, 2013]"),
        "{}",
        o.stdout
    );
    // QA Q91: words that pages have, all left out by `-ubt`: that, not the spelling.
    let o = p.ok(&["search", "reunión -ubt", "--lang", "es"]);
    assert!(
        o.stdout.starts_with("0 results for \"reunión -ubt\"\n")
            && o.stdout.contains(
                " with the other words have a word excluded with \"-\"; drop it to see them)"
            ),
        "{}",
        o.stdout
    );
    let o = p.ok(&["search", "reunión -zzzz", "--lang", "es"]);
    assert!(!o.stdout.contains("excluded"), "{}", o.stdout);
    // Only common words (QA s8): not sent to the English pages, where they are words.
    let o = p.ok(&["search", "de la", "--lang", "es"]);
    assert!(
        o.stdout
            .contains("(every word of \"de la\" is a common word that search leaves out)")
            && !o.stdout.contains("in English"),
        "{}",
        o.stdout
    );
    // Only words to leave out (QA s14: "-ubt" was said to be a common word left out).
    let o = p.ok(&["search", "-ubt", "--lang", "es"]);
    assert!(
        o.stdout.contains(
            "(\"-ubt\" only says what to leave out: add a word to look for, e.g. \"board -ubt\")"
        ) && !o.stdout.contains("common word"),
        "{}",
        o.stdout
    );
    // No words at all (QA s15: `""` was said to be made of common words left out).
    for q in ["", "\"\"", "?! ..."] {
        let o = p.ok(&["search", q]);
        assert!(
            o.stdout
                .contains("(the query has no words to look for: give a word")
                && !o.stdout.contains("common word")
                && !o.stdout.contains("leave out"),
            "{q:?}: {}",
            o.stdout
        );
    }
}

/// QA Q93: a filter value that no page of an index has (`?region=northwest` on the Spanish
/// search, `colorado` on the English one) is in its manifest with its name and a count of 0, so
/// the search page names it and lists it to be removed; `lmp search` takes it and finds nothing,
/// instead of refusing a region of the site.
#[test]
fn a_filter_value_without_pages_in_a_language_is_named_with_a_count_of_0() {
    let p = Project::sample_site();
    p.ok(&["build", "--quiet"]);
    let value = |manifest: &str, facet: &str, slug: &str| -> serde_json::Value {
        let m: serde_json::Value = serde_json::from_str(&p.read(manifest)).unwrap();
        m["facets"][facet]["values"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["slug"] == slug)
            .cloned()
            .unwrap_or_else(|| panic!("{slug} is not a value of {facet} in {manifest}"))
    };
    let es = "public/es/search/index/manifest.json";
    let en = "public/search/index/manifest.json";
    let v = value(es, "region", "northwest");
    assert_eq!(
        (v["label"].as_str(), v["count"].as_u64()),
        (Some("Noroeste"), Some(0))
    );
    let v = value(en, "region", "colorado");
    assert_eq!(
        (v["label"].as_str(), v["count"].as_u64()),
        (Some("Colorado"), Some(0))
    );
    // A term with a Spanish name keeps it at 0 too.
    let v = value(es, "topic", "patient-safety");
    assert_eq!(v["label"], "Seguridad del paciente");
    // Values with pages still come first in name order, and keep their counts.
    let m: serde_json::Value = serde_json::from_str(&p.read(en)).unwrap();
    let hawaii = value(en, "region", "hawaii");
    assert!(hawaii["count"].as_u64().unwrap() > 0, "{m}");
    // And says why: no page of that language is in that region (QA Q106), not a spelling.
    for (q, lang, region, why) in [
        (
            "reunión",
            "es",
            "northwest",
            "(no page in Español (es) has region northwest (\"Noroeste\"))",
        ),
        (
            "huddle",
            "en",
            "colorado",
            "(no page in English (en) has region colorado (\"Colorado\"))",
        ),
    ] {
        let o = p.ok(&["search", q, "--lang", lang, "--region", region]);
        assert!(
            o.stdout.starts_with(&format!("0 results for \"{q}\"")),
            "{}",
            o.stdout
        );
        assert!(o.stdout.contains(why), "{}", o.stdout);
    }
    // A value with pages, none with the word: the word is what is missing.
    let o = p.ok(&["search", "nosuchword", "--region", "hawaii"]);
    assert!(!o.stdout.contains("(no page in"), "{}", o.stdout);
}

/// QA Q50: `ninos` typed without its ñ: its Spanish stem (`nin`) is no prefix to search with, so
/// the pages with "ninguna" are not its results; a page with "niños" is, first.
#[test]
fn a_word_typed_without_its_enye_is_not_taken_for_the_start_of_another() {
    let p = Project::sample_site();
    p.ok(&["build", "--quiet"]);
    let words = |q: &str| -> String {
        let o = p.ok(&["search", q, "--lang", "es", "--json"]);
        let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
        v["words"].to_string()
    };
    let w = words("ninos");
    assert!(!w.contains("\"ningun"), "{w}");
    // No page has "niños": nothing, rather than a typo of its 3-letter stem `nin` (`vin` of
    // "vinieron"; the browser engine alike, tests/js/relevance-es.test.mjs).
    assert!(!w.contains("typo"), "{w}");
    assert!(p.search("ninos", &["--lang", "es"]).is_empty());
    // As typed, the folded word is still a prefix: `reunio` finds "reunión".
    assert!(
        p.search("reunio", &["--lang", "es"])
            .iter()
            .any(|u| u.starts_with("/es/"))
    );
    p.write(
        "site/stories/new-partnership-agreement-2018.es.md",
        "---\ntitle: Nuevo acuerdo de la asociación\nsummary: El acuerdo de 2018.\n---\n\
         El acuerdo también piensa en los niños de los trabajadores.\n",
    );
    p.ok(&["build", "--quiet"]);
    let found = p.search("ninos", &["--lang", "es"]);
    assert_eq!(
        found.first().map(String::as_str),
        Some("/es/stories/new-partnership-agreement-2018/"),
        "{found:?}"
    );
}

/// QA s15: the sample site's guide "Use search" says "a search for `hudle` still finds huddles",
/// which wrote `hudle` into the index: the search found that guide alone. The guide's promise
/// holds now: the guide (the word as typed) and the pages about huddles.
#[test]
fn the_search_guides_own_typo_example_finds_huddles() {
    let p = Project::built_sample_site();
    let found = p.search("hudle", &[]);
    assert!(found.len() >= 10, "{found:?}");
    assert!(
        found.contains(&"/guides/run-a-ubt-huddle/".to_string()),
        "{found:?}"
    );
    let text = p.ok(&["search", "hudle"]).stdout;
    assert!(
        text.contains("(\"hudle\" also matched \"huddle\")"),
        "{text}"
    );
}
