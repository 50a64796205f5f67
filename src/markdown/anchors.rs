//! Anchors: heading slugs and per-page unique ids (headings, footnotes, footnote references).
//!
//! One [`Ids`] per page hands out every id the renderer emits, so no two elements ever share one.
//! Explicit heading ids (`## Title {#id}`) are reserved before rendering starts, so an automatic
//! slug never takes an id that an explicit one claims later in the page.

use std::collections::{HashMap, HashSet};

/// Slug of a heading's plain text: [`crate::slug::anchor`] (letters of every script kept, so the
/// ids of existing pages never change; `section` when nothing is left).
pub(crate) fn slugify(text: &str) -> String {
    crate::slug::anchor(text)
}

/// The ids used on one page.
#[derive(Default)]
pub(crate) struct Ids {
    /// Every id emitted or reserved so far.
    taken: HashSet<String>,
    /// Explicit heading ids reserved up front and not yet emitted.
    explicit: HashSet<String>,
    /// Next numeric suffix to try per base, so 1,000 "Overview" headings stay linear.
    next: HashMap<String, usize>,
}

impl Ids {
    /// Reserve an explicit heading id found before rendering.
    pub(crate) fn reserve_explicit(&mut self, id: &str) {
        if self.taken.insert(id.to_string()) {
            self.explicit.insert(id.to_string());
        }
    }

    /// The id for a heading with an explicit `{#id}`: the id itself the first time, else made unique.
    pub(crate) fn explicit(&mut self, id: &str) -> String {
        if self.explicit.remove(id) {
            id.to_string()
        } else {
            self.unique(id.to_string())
        }
    }

    /// `base` if free, else `base-1`, `base-2`, … (the first one free).
    pub(crate) fn unique(&mut self, base: String) -> String {
        if !self.taken.contains(&base) {
            self.taken.insert(base.clone());
            return base;
        }
        let mut n = self.next.get(&base).copied().unwrap_or(1);
        loop {
            let candidate = format!("{base}-{n}");
            n += 1;
            if !self.taken.contains(&candidate) {
                self.next.insert(base, n);
                self.taken.insert(candidate.clone());
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify("Overview"), "overview");
        assert_eq!(slugify("  Step two: the plan!  "), "step-two-the-plan");
        assert_eq!(slugify("a - b & c__d"), "a-b-c-d");
        assert_eq!(slugify("Don’t stop"), "dont-stop");
        assert_eq!(slugify("Ünïcödé Straße"), "ünïcödé-straße");
        assert_eq!(slugify("日本語 テキスト"), "日本語-テキスト");
        assert_eq!(slugify("?!"), "section");
        assert_eq!(slugify(""), "section");
        assert_eq!(slugify("C++ & Rust 2024"), "c-rust-2024");
    }

    #[test]
    fn unique_ids_skip_taken_and_explicit() {
        let mut ids = Ids::default();
        ids.reserve_explicit("overview-1");
        assert_eq!(ids.unique("overview".into()), "overview");
        assert_eq!(ids.unique("overview".into()), "overview-2");
        assert_eq!(ids.explicit("overview-1"), "overview-1");
        assert_eq!(ids.explicit("overview-1"), "overview-1-1");
        assert_eq!(ids.unique("overview".into()), "overview-3");
    }
}
