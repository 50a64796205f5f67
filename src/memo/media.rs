//! The media stage's reuse across builds (`serve`): a document's body with its images made
//! responsive ([`crate::media::transform_body`]) and its image checks
//! ([`crate::media::checks::check_doc`]), each kept while its inputs are the same values.
//!
//! Keys are contents: a document and a rendered body are compared by value ([`same_doc`],
//! [`same_body`]: the pointer test first, as the fast path of that comparison), the image
//! entries by a digest of their value ([`MediaMemo::entries`]). The config and the theme are not
//! in the keys: a change to either empties the memo (see `Memo::begin`).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::{Memo, same_body, same_doc};
use crate::config::Config;
use crate::content::Document;
use crate::content::graph::Graph;
use crate::diagnostics::Diagnostic;
use crate::markdown::Rendered;
use crate::media::{Entry, Images};

/// What the media stage did for each document, by document path.
#[derive(Default)]
pub(super) struct MediaMemo {
    /// The image entries the results below were made with (kept alive, so that the same
    /// pointer is the same value) and the digest of their value.
    entries: Option<(Arc<BTreeMap<String, Entry>>, u128)>,
    /// Bodies made responsive: the rendered body in, the body out.
    bodies: HashMap<String, (Arc<Rendered>, Arc<Rendered>)>,
    /// Image checks: what [`crate::media::checks::check_doc`] read (the document, its rendered
    /// body, whether it has a generated share card) and what it found.
    checks: HashMap<String, Checked>,
}

struct Checked {
    doc: Arc<Document>,
    body: Arc<Rendered>,
    card: bool,
    diags: Vec<Diagnostic>,
}

impl MediaMemo {
    /// Forget everything (the config or the theme changed).
    pub(super) fn clear(&mut self) {
        *self = MediaMemo::default();
    }

    /// Keep only results made with entries of the same value as `entries`.
    fn entries(&mut self, entries: &Arc<BTreeMap<String, Entry>>) {
        if let Some((e, _)) = &self.entries
            && Arc::ptr_eq(e, entries)
        {
            return;
        }
        let key = entries_digest(entries);
        if self.entries.as_ref().is_none_or(|(_, k)| *k != key) {
            self.bodies.clear();
            self.checks.clear();
        }
        self.entries = Some((entries.clone(), key));
    }
}

/// A digest of the image entries' value (their `Debug` form holds every field: the source's
/// digest, sizes and every variant).
fn entries_digest(entries: &BTreeMap<String, Entry>) -> u128 {
    use std::io::Write;
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = Vec::new();
    for (path, e) in entries {
        buf.clear();
        let _ = write!(buf, "{path}\n{e:?}\n");
        h.update(&(buf.len() as u64).to_le_bytes());
        h.update(&buf);
    }
    h.digest128()
}

impl Memo {
    /// The media stage's per-document part: the bodies of documents `which` (all when `None`)
    /// made responsive in place, and their image diagnostics in the same order (a body-only
    /// rebuild keeps the other documents' from the last build: see `pipeline::media`). In
    /// `serve`, a body or a check whose inputs are the same as last time is reused.
    pub(crate) fn media(
        &mut self,
        images: &Images,
        cfg: &Config,
        graph: &Graph,
        rendered: &mut [Arc<Rendered>],
        which: Option<&[usize]>,
    ) -> Vec<Vec<Diagnostic>> {
        let keep = self.keep;
        let empty = MediaMemo::default();
        let old = if keep {
            self.media.entries(&images.entries);
            &self.media
        } else {
            &empty
        };
        let all: Vec<usize>;
        let which = match which {
            Some(w) => w,
            None => {
                all = (0..graph.docs.len().min(rendered.len())).collect();
                &all
            }
        };
        type Done = (Arc<Rendered>, Option<Checked>, Vec<Diagnostic>, bool);
        let results: Vec<Done> = which
            .par_iter()
            .map(|&i| {
                let (d, r) = (&graph.docs[i], &rendered[i]);
                let card = images.cards.contains_key(&d.url);
                let (checked, diags) = match old.checks.get(&d.rel) {
                    Some(c) if c.card == card && same_doc(&c.doc, d) && same_body(&c.body, r) => {
                        (None, c.diags.clone())
                    }
                    _ => {
                        let diags = crate::media::checks::check_doc(d, r, images, &cfg.base_url);
                        let c = keep.then(|| Checked {
                            doc: d.clone(),
                            body: r.clone(),
                            card,
                            diags: diags.clone(),
                        });
                        (c, diags)
                    }
                };
                // The body in, or already the body out (the last build's, kept).
                if let Some((input, output)) = old.bodies.get(&d.rel)
                    && (same_body(input, r) || same_body(output, r))
                {
                    return (output.clone(), checked, diags, false);
                }
                let out = crate::media::transform_body(images, cfg, d, r);
                (out, checked, diags, true)
            })
            .collect();
        let mut diags = Vec::with_capacity(results.len());
        let mut fresh = Vec::new();
        let mut checked = Vec::new();
        for (&i, (out, c, d, new)) in which.iter().zip(results) {
            if new {
                fresh.push((i, rendered[i].clone(), out.clone()));
            }
            checked.extend(c.map(|c| (i, c)));
            rendered[i] = out;
            diags.push(d);
        }
        if keep {
            let m = &mut self.media;
            if which.len() == graph.docs.len() {
                let live: HashSet<&str> = graph.docs.iter().map(|d| d.rel.as_str()).collect();
                m.bodies.retain(|rel, _| live.contains(rel.as_str()));
                m.checks.retain(|rel, _| live.contains(rel.as_str()));
            }
            for (i, input, out) in fresh {
                m.bodies.insert(graph.docs[i].rel.clone(), (input, out));
            }
            for (i, c) in checked {
                m.checks.insert(graph.docs[i].rel.clone(), c);
            }
        }
        diags
    }
}
