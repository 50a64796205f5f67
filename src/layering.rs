//! Checks over the crate's own source that keep its layering honest (tests only): no import
//! cycle between top-level modules (through code, and through the links of doc comments), and
//! `std::fs` named only in `src/fsx*` (test code included).
//!
//! The import graph is read from the source text: every `crate::a::b`, `super::x`, `self::x` and
//! `child::x` path (`use` lines and inline paths, `{…}` groups included) is an edge from the file
//! that writes it to the file that defines the longest module prefix of the path. Test modules
//! (from the first `#[cfg(test)]` on, and `tests.rs` files) are left out. Files of one top-level module may depend on
//! each other both ways (a parent and its children); a cycle that spans two top-level modules is
//! an error.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Module = Vec<String>;

/// Every `.rs` file under `src/` by module path (`[]` is the crate root), with its text up to its
/// test module and without `//` comment lines.
fn sources() -> BTreeMap<Module, String> {
    sources_of(false, false)
}

/// [`sources`] with the targets of the intra-doc links of its doc comments (`//!`, `///`) as
/// code: a link names a module as a `use` does (rustdoc resolves it, and a reader follows it).
fn sources_with_doc_links() -> BTreeMap<Module, String> {
    sources_of(false, true)
}

/// The targets of the intra-doc links on a doc comment line: `[`a::b`]`, `[`a::b()`]`,
/// `[text](a::b)` (not web addresses or `#anchors`), separated so that each reads as one path.
fn doc_links(line: &str) -> String {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find('[') {
        rest = &rest[at + 1..];
        let Some(end) = rest.find(']') else {
            break;
        };
        let inner = &rest[..end];
        let after = &rest[end + 1..];
        let target = match after.strip_prefix('(').and_then(|a| a.split_once(')')) {
            Some((t, _)) => t,
            None => inner,
        };
        let target = target
            .trim_matches('`')
            .trim_end_matches("()")
            .trim_end_matches('!');
        if !target.contains("://") && !target.starts_with('#') && target.contains("::") {
            out.push(target.to_string());
        }
        rest = after;
    }
    out.join(" ; ")
}

/// [`sources`], with the test code too (`tests` modules and what follows `#[cfg(test)]`) when
/// `tests`, and the intra-doc links of doc comments (see [`doc_links`]) when `links`.
fn sources_of(tests: bool, links: bool) -> BTreeMap<Module, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    for (rel, path) in crate::fsx::walk_files(&src).unwrap_or_default() {
        let Some(stem) = rel.strip_suffix(".rs") else {
            continue;
        };
        if stem == "main" {
            continue;
        }
        let mut module: Module = stem.split('/').map(str::to_string).collect();
        if module.last().is_some_and(|l| l == "mod") || stem == "lib" {
            module.pop();
        }
        if module.last().is_some_and(|l| l == "tests") && !tests {
            continue; // a test module in its own file
        }
        let text = crate::fsx::read_to_string(&path).unwrap_or_default();
        let code = match tests {
            true => &text,
            false => text.split("#[cfg(test)]").next().unwrap_or_default(),
        };
        let code: Vec<String> = code
            .lines()
            .filter_map(|l| {
                let t = l.trim_start();
                if links && (t.starts_with("//!") || t.starts_with("///")) {
                    Some(doc_links(t))
                } else if t.starts_with("//") {
                    None
                } else {
                    Some(l.to_string())
                }
            })
            .collect();
        out.insert(module, code.join("\n"));
    }
    out
}

#[derive(Debug, PartialEq)]
enum Tok {
    Ident(String),
    Sep,
    Open,
    Close,
    Comma,
    Other,
}

fn tokens(text: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() || c == '_' {
            let mut s = c.to_string();
            while let Some(&n) = chars.peek() {
                if n.is_alphanumeric() || n == '_' {
                    s.push(n);
                    chars.next();
                } else {
                    break;
                }
            }
            out.push(Tok::Ident(s));
        } else if c == ':' && chars.peek() == Some(&':') {
            chars.next();
            out.push(Tok::Sep);
        } else if c == '{' {
            out.push(Tok::Open);
        } else if c == '}' {
            out.push(Tok::Close);
        } else if c == ',' {
            out.push(Tok::Comma);
        } else if !c.is_whitespace() {
            out.push(Tok::Other);
        }
    }
    out
}

/// The paths written in `text` (each as its segments; a `{a, b::c}` group gives one path per
/// item, cut after the item's first segment).
fn paths(text: &str) -> Vec<Vec<String>> {
    let t = tokens(text);
    let ident = |i: usize| match t.get(i) {
        Some(Tok::Ident(s)) => Some(s.clone()),
        _ => None,
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        let starts = ident(i).is_some()
            && t.get(i + 1) == Some(&Tok::Sep)
            && (i == 0 || t.get(i - 1) != Some(&Tok::Sep));
        if !starts {
            i += 1;
            continue;
        }
        let mut segs = vec![ident(i).unwrap_or_default()];
        i += 1;
        while t.get(i) == Some(&Tok::Sep) {
            if let Some(s) = ident(i + 1) {
                segs.push(s);
                i += 2;
            } else if t.get(i + 1) == Some(&Tok::Open) {
                i += 2;
                let (mut depth, mut expect) = (1, true);
                while depth > 0 && i < t.len() {
                    match &t[i] {
                        Tok::Open => depth += 1,
                        Tok::Close => depth -= 1,
                        Tok::Comma if depth == 1 => expect = true,
                        Tok::Ident(s) if depth == 1 && expect => {
                            let mut p = segs.clone();
                            if s != "self" {
                                p.push(s.clone());
                            }
                            out.push(p);
                            expect = false;
                        }
                        _ => {}
                    }
                    i += 1;
                }
                segs.clear();
                break;
            } else {
                break;
            }
        }
        if !segs.is_empty() {
            out.push(segs);
        }
    }
    out
}

/// The module-to-module edges: file → files it names.
fn graph(src: &BTreeMap<Module, String>) -> BTreeMap<Module, BTreeSet<Module>> {
    let mut edges = BTreeMap::new();
    for (module, text) in src {
        let children: BTreeSet<String> = text
            .lines()
            .filter_map(|l| {
                let l = l.trim_start();
                let l = l
                    .strip_prefix("pub(crate) ")
                    .or_else(|| l.strip_prefix("pub "))
                    .unwrap_or(l);
                let name = l.strip_prefix("mod ")?.strip_suffix(';')?;
                Some(name.trim().to_string())
            })
            .collect();
        let mut to = BTreeSet::new();
        for p in paths(text) {
            let Some((head, rest)) = p.split_first() else {
                continue;
            };
            let mut full: Module = match head.as_str() {
                "crate" => Vec::new(),
                "super" => module[..module.len().saturating_sub(1)].to_vec(),
                "self" => module.clone(),
                h if children.contains(h) => {
                    let mut m = module.clone();
                    m.push(h.to_string());
                    m
                }
                _ => continue,
            };
            full.extend(rest.iter().cloned());
            let target = (0..=full.len())
                .rev()
                .map(|n| full[..n].to_vec())
                .find(|m| src.contains_key(m))
                .unwrap_or_default();
            if !target.is_empty() && &target != module {
                to.insert(target);
            }
        }
        edges.insert(module.clone(), to);
    }
    edges
}

/// Cycles known and left for later, as the top-level modules they join (none today: keep it so).
const KNOWN_CYCLES: &[&[&str]] = &[];

/// The files of a group that import each other in a circle and belong to more than one
/// top-level module (a strongly connected component of the graph), if there is one.
fn cross_module_cycle(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Option<Vec<Module>> {
    let reach = |from: &Module| {
        let mut seen: BTreeSet<&Module> = BTreeSet::new();
        let mut stack = vec![from];
        while let Some(m) = stack.pop() {
            for n in edges.get(m).into_iter().flatten() {
                if seen.insert(n) {
                    stack.push(n);
                }
            }
        }
        seen
    };
    let reached: BTreeMap<&Module, BTreeSet<&Module>> =
        edges.keys().map(|m| (m, reach(m))).collect();
    for (m, from_m) in &reached {
        let group: Vec<Module> = from_m
            .iter()
            .filter(|n| reached.get(*n).is_some_and(|r| r.contains(m)))
            .map(|n| (*n).clone())
            .collect();
        let tops: BTreeSet<&str> = group
            .iter()
            .filter_map(|g| g.first())
            .map(String::as_str)
            .collect();
        let known = KNOWN_CYCLES
            .iter()
            .any(|k| tops.iter().all(|t| k.contains(t)));
        if tops.len() > 1 && !known {
            return Some(group);
        }
    }
    None
}

fn show(group: &[Module]) -> String {
    let names: Vec<String> = group.iter().map(|m| m.join("::")).collect();
    names.join(", ")
}

#[test]
fn paths_are_read_from_use_lines_groups_and_inline_code() {
    let p = paths("use crate::site::{self, Options};\nlet x = super::y::z(crate::fsx::read(a));");
    let s: Vec<String> = p.iter().map(|p| p.join("::")).collect();
    assert_eq!(
        s,
        [
            "crate::site",
            "crate::site::Options",
            "super::y::z",
            "crate::fsx::read"
        ]
    );
}

#[test]
fn a_cycle_between_two_modules_is_found() {
    let mut src = BTreeMap::new();
    src.insert(vec![], "pub mod a;\npub mod b;".to_string());
    src.insert(vec!["a".to_string()], "use crate::b::B;".to_string());
    src.insert(
        vec!["b".to_string()],
        "mod inner;\nfn f() { inner::g() }".to_string(),
    );
    src.insert(
        vec!["b".to_string(), "inner".to_string()],
        "pub fn g() { crate::a::h() }".to_string(),
    );
    let cycle = cross_module_cycle(&graph(&src)).map(|c| show(&c));
    assert_eq!(cycle.as_deref(), Some("a, b, b::inner"));
    // Within one top-level module, a parent and its child may name each other.
    src.insert(
        vec!["b".to_string(), "inner".to_string()],
        "pub fn g() { super::f() }".to_string(),
    );
    assert_eq!(cross_module_cycle(&graph(&src)), None);
}

#[test]
fn doc_links_are_read_as_paths() {
    let l = doc_links(
        "/// See [`crate::memo::Memo`], [`x`], [the check](crate::linkcheck::check) and [`super::a()`]; [web](https://e.org/a::b).",
    );
    assert_eq!(l, "crate::memo::Memo ; crate::linkcheck::check ; super::a");
}

/// Panics, naming the files, when `src` has a cycle between top-level modules; `what` says
/// what counts as an import.
fn assert_no_cycle(src: &BTreeMap<Module, String>, what: &str, fix: &str) {
    assert!(src.len() > 20, "the sources were not found");
    if let Some(cycle) = cross_module_cycle(&graph(src)) {
        panic!(
            "import cycle ({what}) between these files: {}\n{fix}",
            show(&cycle)
        );
    }
}

#[test]
fn no_import_cycle_between_top_level_modules() {
    assert_no_cycle(
        &sources(),
        "paths in code",
        "move the shared item down (e.g. a type into the lower module) or pass it in, so that \
         each top-level module only uses modules below it",
    );
}

/// Counting the intra-doc links of doc comments as imports too: a module's docs that send the
/// reader up to the module that calls it (`[`crate::pipeline::build`]` in a stage) make the
/// reading order circular as surely as a `use` does (until this test, files of linkcheck,
/// media, memo, pipeline, render and site were one cycle that way: `memo` and `site` linked
/// `pipeline`, `render` linked `memo`). Name the caller in words.
#[test]
fn no_cycle_between_top_level_modules_through_doc_links() {
    assert_no_cycle(
        &sources_with_doc_links(),
        "counting the links of doc comments",
        "write a link to a module above as words in backticks (`crate::x`, not [`crate::x`]), \
         or move the item down",
    );
}

#[test]
fn std_fs_is_named_only_in_fsx() {
    // Tests too: an I/O error in a test names its path like any other.
    let src = sources_of(true, false);
    let mut found = Vec::new();
    for (module, text) in &src {
        // fsx is the place; this file names it only in its messages (the scanner reads string
        // literals as code).
        if module
            .first()
            .is_some_and(|m| m == "fsx" || m == "layering")
        {
            continue;
        }
        let names_fs = paths(text)
            .iter()
            .any(|p| p.first().is_some_and(|h| h == "std") && p.iter().skip(1).any(|s| s == "fs"));
        if names_fs {
            found.push(module.join("::"));
        }
    }
    assert!(
        found.is_empty(),
        "std::fs used outside src/fsx* in: {}\nadd what you need to src/fsx.rs (the one place that \
         touches the file system, with errors that name the path)",
        found.join(", ")
    );
}
