//! Relevance of the Rust engine (`lmp search`) on the sample site: the cases are shared with the
//! browser engine's test (`tests/js/relevance.test.mjs`), so both engines are held to the same
//! list, phrases (`"team members"`), exclusions (`huddle -video`) and synonyms (`licensed
//! vocational nurse` for LVN) included.

use crate::harness::Project;

/// `[query, [[facet, value], …], a page that must be in the top 3, why]`.
type Case = (String, Vec<(String, String)>, String, String);

fn cases() -> Vec<Case> {
    serde_json::from_str(include_str!("../js/fixtures/relevance.json")).unwrap()
}

/// Result URLs (without fragment) of `lmp search --json`.
fn search(p: &Project, q: &str, filters: &[(String, String)]) -> Vec<String> {
    let mut args: Vec<String> = vec!["search".into(), q.into(), "--json".into()];
    for (f, v) in filters {
        args.push(format!("--{f}"));
        args.push(v.clone());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = p.ok(&args);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let l = r["url"].as_str().unwrap();
            l.split('#').next().unwrap_or(l).to_string()
        })
        .collect()
}

#[test]
fn english_relevance_cases_find_their_page_in_the_top_3() {
    let p = Project::sample_site();
    p.ok(&["build", "--quiet"]);
    let cases = cases();
    assert!(cases.len() >= 25);
    for kind in ["\"", " -", "licensed vocational nurse"] {
        assert!(
            cases.iter().any(|c| c.0.contains(kind)),
            "a case with {kind}"
        );
    }
    let mut failures = Vec::new();
    for (q, filters, want, why) in &cases {
        let urls = search(&p, q, filters);
        if !urls.iter().take(3).any(|u| u == want) {
            failures.push(format!(
                "{q:?} {filters:?} ({why}): want {want} in the top 3, got {urls:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // A phrase is narrower than its words; an excluded word leaves its pages out.
    let loose = search(&p, "team members", &[]);
    let phrase = search(&p, "\"team members\"", &[]);
    assert!(!phrase.is_empty() && phrase.len() < loose.len());
    let with = search(&p, "huddle", &[]);
    let without = search(&p, "huddle -video", &[]);
    assert!(without.len() < with.len() && without.iter().all(|u| with.contains(u)));
}
