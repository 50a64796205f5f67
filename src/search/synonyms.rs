//! Synonyms and acronyms (`search.synonyms` in config.yaml): groups of words or phrases that
//! mean the same (`LPN` = `licensed practical nurse`). Each group gets one index term (`~lpn`):
//! the builder counts an occurrence of it wherever a document has one of the group's members
//! (as consecutive words), and both query engines read a query's member as that one term. The
//! groups travel in the manifest, so the browser and `lmp search` apply them identically.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::tokenize::{self, Stem};

/// A group as the manifest stores it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct SynonymGroup {
    /// The group's index term: `~` and its first member's terms joined by `-`.
    pub term: String,
    /// Each member as its index terms (stop words left out), e.g. `[["lpn"], ["licens",
    /// "practic", "nurs"]]`.
    pub members: Vec<Vec<String>>,
}

/// The groups, with a lookup from a member's last term.
#[derive(Debug, Default)]
pub(crate) struct Synonyms {
    /// (group term, members).
    pub groups: Vec<(String, Vec<Vec<String>>)>,
    /// Last term of some member → index into `ending`.
    pub by_last: HashMap<String, u32>,
    /// (group, member) pairs ending with a term.
    pub ending: Vec<Vec<(u32, u32)>>,
}

impl Synonyms {
    /// From config: each group a list of words or phrases (`[LPN, licensed practical nurse]`).
    pub(crate) fn new(config: &[Vec<String>]) -> Synonyms {
        let stem = Stem::new();
        let mut out = Synonyms::default();
        for group in config {
            let mut members: Vec<Vec<String>> = Vec::new();
            for m in group {
                let terms = tokenize::terms(m, &stem);
                if !terms.is_empty() && !members.contains(&terms) {
                    members.push(terms);
                }
            }
            let Some(first) = members.first() else {
                continue;
            };
            let mut term = format!("~{}", first.join("-"));
            if out.groups.iter().any(|(t, _)| *t == term) {
                term = format!("{term}-{}", out.groups.len());
            }
            let g = out.groups.len() as u32;
            for (k, m) in members.iter().enumerate() {
                if let Some(last) = m.last() {
                    let next = out.ending.len() as u32;
                    let i = *out.by_last.entry(last.clone()).or_insert(next);
                    if i == next {
                        out.ending.push(Vec::new());
                    }
                    out.ending[i as usize].push((g, k as u32));
                }
            }
            out.groups.push((term, members));
        }
        out
    }

    /// The manifest form.
    pub(crate) fn manifest(&self) -> Vec<SynonymGroup> {
        self.groups
            .iter()
            .map(|(term, members)| SynonymGroup {
                term: term.clone(),
                members: members.clone(),
            })
            .collect()
    }

    /// Digest input: everything the builder reads from the groups.
    pub(crate) fn key(&self) -> String {
        let mut s = String::new();
        for (t, ms) in &self.groups {
            s.push_str(t);
            for m in ms {
                s.push('\u{1}');
                s.push_str(&m.join(" "));
            }
            s.push('\u{2}');
        }
        s
    }
}

/// Query side: replaces each run of `terms` that is a member of a group by the group (longest
/// member first, left to right). Returns, per output item, `Ok(group index, first, end)` for a
/// synonym or `Err(i)` for the plain term at `i`.
pub(crate) fn rewrite(
    groups: &[SynonymGroup],
    terms: &[&str],
) -> Vec<Result<(usize, usize, usize), usize>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < terms.len() {
        let mut best: Option<(usize, usize)> = None;
        for (g, group) in groups.iter().enumerate() {
            for m in &group.members {
                let fits =
                    m.len() <= terms.len() - i && m.iter().zip(&terms[i..]).all(|(a, b)| a == b);
                if fits && best.is_none_or(|(_, len)| m.len() > len) {
                    best = Some((g, m.len()));
                }
            }
        }
        match best {
            Some((g, len)) => {
                out.push(Ok((g, i, i + len)));
                i += len;
            }
            None => {
                out.push(Err(i));
                i += 1;
            }
        }
    }
    out
}
