//! Relevance of the Rust engine (`lmp search`) on the sample site: the cases are shared with the
//! browser engine's test (`tests/js/relevance.test.mjs`), so both engines are held to the same
//! list, phrases (`"team members"`), exclusions (`huddle -video`) and synonyms (`licensed
//! vocational nurse` for LVN) included.

use crate::harness::{Project, RelevanceCase};

/// The cases of `tests/js/fixtures/relevance.json`: `[query, [[facet, value], …], a page that
/// must be in the top 3, why]`, the filters as `--facet value` arguments.
fn cases() -> Vec<RelevanceCase> {
    type Case = (String, Vec<(String, String)>, String, String);
    let cases: Vec<Case> =
        serde_json::from_str(include_str!("../js/fixtures/relevance.json")).unwrap();
    cases
        .into_iter()
        .map(|(query, filters, want, why)| RelevanceCase {
            query,
            args: filters
                .into_iter()
                .flat_map(|(f, v)| [format!("--{f}"), v])
                .collect(),
            want,
            why,
        })
        .collect()
}

fn search(p: &Project, q: &str) -> Vec<String> {
    p.search(q, &[])
}

#[test]
fn english_relevance_cases_find_their_page_in_the_top_3() {
    let p = Project::built_sample_site();
    let cases = cases();
    assert!(cases.len() >= 25);
    for kind in ["\"", " -", "licensed vocational nurse"] {
        assert!(
            cases.iter().any(|c| c.query.contains(kind)),
            "a case with {kind}"
        );
    }
    let misses = p.relevance_misses(&cases, |_, _| None);
    assert!(misses.is_empty(), "{}", misses.join("\n"));
    // A phrase is narrower than its words; an excluded word leaves its pages out.
    let loose = search(p, "team members");
    let phrase = search(p, "\"team members\"");
    assert!(!phrase.is_empty() && phrase.len() < loose.len());
    let with = search(p, "huddle");
    let without = search(p, "huddle -video");
    assert!(without.len() < with.len() && without.iter().all(|u| with.contains(u)));
}
