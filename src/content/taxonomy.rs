//! The taxonomies every site has (regions, topics, audiences, series): their names as written in
//! config, front matter and URLs, and their labels. A `match` on [`Taxonomy`] is exhaustive, so a
//! new taxonomy is one variant here and the compiler lists every place that must learn it.

use std::fmt;

/// A taxonomy. The variants are in alphabetical order of their names, so a `BTreeMap` keyed by
/// taxonomy iterates in the same order as one keyed by the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Taxonomy {
    Audiences,
    Regions,
    Series,
    Topics,
}

impl Taxonomy {
    /// Every taxonomy, in the order lmp shows them.
    pub const ALL: [Taxonomy; 4] = [
        Taxonomy::Regions,
        Taxonomy::Topics,
        Taxonomy::Audiences,
        Taxonomy::Series,
    ];

    /// The taxonomies whose terms are defined in config (region terms are the region documents).
    pub const IN_CONFIG: [Taxonomy; 3] = [Taxonomy::Topics, Taxonomy::Audiences, Taxonomy::Series];

    /// The name in config, front matter and URLs (`topics`).
    pub const fn name(self) -> &'static str {
        match self {
            Taxonomy::Audiences => "audiences",
            Taxonomy::Regions => "regions",
            Taxonomy::Series => "series",
            Taxonomy::Topics => "topics",
        }
    }

    /// The plural label (`Topics`).
    pub const fn label(self) -> &'static str {
        match self {
            Taxonomy::Audiences => "Audiences",
            Taxonomy::Regions => "Regions",
            Taxonomy::Series => "Series",
            Taxonomy::Topics => "Topics",
        }
    }

    /// The singular label (`Topic`).
    pub const fn singular(self) -> &'static str {
        match self {
            Taxonomy::Audiences => "Audience",
            Taxonomy::Regions => "Region",
            Taxonomy::Series => "Series",
            Taxonomy::Topics => "Topic",
        }
    }

    /// The taxonomy of a name as written (`topics`), if there is one.
    pub fn from_name(name: &str) -> Option<Taxonomy> {
        Taxonomy::ALL.into_iter().find(|t| t.name() == name)
    }

    /// Names of a list of taxonomies, for messages: `topics, audiences, series`.
    pub fn names(list: &[Taxonomy]) -> String {
        let names: Vec<&str> = list.iter().map(|t| t.name()).collect();
        names.join(", ")
    }
}

impl fmt::Display for Taxonomy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl serde::Serialize for Taxonomy {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_order_follows_the_names() {
        for t in Taxonomy::ALL {
            assert_eq!(Taxonomy::from_name(t.name()), Some(t));
        }
        assert_eq!(Taxonomy::from_name("tags"), None);
        let mut by_enum = Taxonomy::ALL.to_vec();
        by_enum.sort();
        let mut by_name = Taxonomy::ALL.to_vec();
        by_name.sort_by_key(|t| t.name());
        assert_eq!(by_enum, by_name);
        assert_eq!(
            Taxonomy::names(&Taxonomy::IN_CONFIG),
            "topics, audiences, series"
        );
    }
}
