//! Tests of the markdown renderer: snapshots of rendered fragments (reviewed by eye; they live in
//! `snapshots/`) and unit tests of the data derived in the same pass.

use super::*;
use proptest::prelude::*;

fn no_docs(_: &str) -> Option<String> {
    None
}

/// Resolves `../guides/find-tools.md` and `story.md`; nothing else exists.
fn some_docs(path: &str) -> Option<String> {
    match path {
        "../guides/find-tools.md" => Some("/guides/find-tools/".into()),
        "story.md" | "my story.md" => Some("/stories/story/".into()),
        _ => None,
    }
}

fn html(body: &str) -> String {
    render(body, &no_docs).html
}

// ---------------------------------------------------------------------------------------------
// Snapshots

#[test]
fn snapshot_headings_duplicate_and_explicit_ids() {
    insta::assert_snapshot!(html(
        "# Title\n\n## Overview\n\nText.\n\n## Overview\n\n## Step two {#step-2 .wide}\n\n## Overview 1\n\n\
         ### `cargo` & *friends*!\n\n## ???\n\n## Later {#overview-2}\n"
    ));
}

#[test]
fn snapshot_table() {
    insta::assert_snapshot!(html(
        "| Measure | Before | After |\n|:--|:-:|--:|\n| Patient satisfaction | 62% | 81% |\n| Turnover | 12 | 9 |\n"
    ));
}

#[test]
fn snapshot_footnotes() {
    insta::assert_snapshot!(html(
        "A claim[^1] and another[^Note] and the first again[^1].\n\n[^1]: First *note*.\n[^note]: Second note.\n\n\
         \x20   Its second paragraph.\n\n[^unused]: Never referenced.\n\nUndefined stays text[^nope].\n"
    ));
}

#[test]
fn snapshot_task_list() {
    insta::assert_snapshot!(html(
        "- [x] Book the room\n- [ ] Send the agenda\n- plain item\n"
    ));
}

#[test]
fn snapshot_smart_punctuation() {
    insta::assert_snapshot!(html(
        "\"Partnership\" isn't easy -- it's work --- and it's worth it...\n"
    ));
}

#[test]
fn snapshot_yaml_code_block() {
    insta::assert_snapshot!(html(
        "```yaml\ntitle: Learning to lead\ntopics: [a, b] # two\n```\n"
    ));
}

#[test]
fn snapshot_unknown_language_and_indented_code() {
    insta::assert_snapshot!(html(
        "```klingon\n<tlhIngan> & Hol\n```\n\n    indented <b>code</b>\n"
    ));
}

#[test]
fn snapshot_internal_links_resolved_and_missing() {
    let r = render(
        "See [the tools guide](../guides/find-tools.md#step-2), [a story](story.md?x=1), \
         [my story](my%20story.md) and [a missing one](nope.md#top).\n",
        &some_docs,
    );
    insta::assert_snapshot!(r.html);
}

#[test]
fn snapshot_fragment_and_other_links() {
    insta::assert_snapshot!(html(
        "## Overview\n\nBack to [the overview](#overview), [out](https://example.org/a.md \"Example\"), \
         <https://example.org>, <team@example.org>, [a file](/files/x.pdf).\n"
    ));
}

#[test]
fn snapshot_image() {
    insta::assert_snapshot!(html(
        "![A *happy* team & friends](/images/team.jpg \"Team photo\")\n"
    ));
}

#[test]
fn snapshot_raw_html_passes_through() {
    insta::assert_snapshot!(html(
        "<div class=\"note\">\n<p>Raw <b>HTML</b></p>\n</div>\n\nInline <kbd>Ctrl</kbd>.\n"
    ));
}

// ---------------------------------------------------------------------------------------------
// Links

#[test]
fn link_positions_are_1_based_line_and_char_column() {
    let body = "First line\n\nSee [a](a.md) and ![img](i.png).\n  [ref][r] and <https://x.org>\n\n[r]: b.md\n";
    let r = render(body, &no_docs);
    let pos: Vec<(&str, usize, usize, bool)> = r
        .links
        .iter()
        .map(|l| (l.dest.as_str(), l.line, l.col, l.is_image))
        .collect();
    assert_eq!(
        pos,
        [
            ("a.md", 3, 5, false),
            ("i.png", 3, 19, true),
            ("b.md", 4, 3, false),
            ("https://x.org", 4, 16, false)
        ]
    );
}

#[test]
fn link_positions_with_crlf_and_multibyte() {
    let body = "Título\r\n\r\nhéllo 日本 [x](y.md)\r\n> 🎉 ![a](b.png)\r\n";
    let r = render(body, &no_docs);
    let pos: Vec<(usize, usize)> = r.links.iter().map(|l| (l.line, l.col)).collect();
    assert_eq!(pos, [(3, 10), (4, 5)]);
}

#[test]
fn link_positions_in_nested_blocks_and_tables() {
    let body = "- item\n  > quote [q](q.md)\n\n| a | b |\n|---|---|\n| [t](t.md) | x |\n\n[^1]: note [f](f.md)\n\nRef[^1]\n";
    let r = render(body, &no_docs);
    let pos: Vec<(&str, usize, usize)> = r
        .links
        .iter()
        .map(|l| (l.dest.as_str(), l.line, l.col))
        .collect();
    assert_eq!(pos, [("q.md", 2, 11), ("t.md", 6, 3), ("f.md", 8, 12)]);
}

#[test]
fn link_kinds() {
    let r = render(
        "[a](../guides/find-tools.md#step-2) [b](nope.md) [c](#top) [d](https://x.org/a.md) \
         [e](/stories/a.md) [f](//cdn.x/a.md) [g](file.pdf) [h](mailto:a@b.c) [i](my%20story.md?x=1#s%C3%A9) \
         [j](#) [k](README.MD)",
        &some_docs,
    );
    let kinds: Vec<&LinkKind> = r.links.iter().map(|l| &l.kind).collect();
    let doc = |path: &str, fragment: Option<&str>, url: Option<&str>| LinkKind::Document {
        path: path.into(),
        fragment: fragment.map(Into::into),
        url: url.map(Into::into),
    };
    assert_eq!(
        kinds,
        [
            &doc(
                "../guides/find-tools.md",
                Some("step-2"),
                Some("/guides/find-tools/")
            ),
            &doc("nope.md", None, None),
            &LinkKind::Fragment("top".into()),
            &LinkKind::Other,
            &LinkKind::Other,
            &LinkKind::Other,
            &LinkKind::Other,
            &LinkKind::Other,
            &doc("my story.md", Some("sé"), Some("/stories/story/")),
            &LinkKind::Other,
            &doc("README.MD", None, None),
        ]
    );
    assert!(
        r.html
            .contains("<a href=\"/guides/find-tools/#step-2\">a</a>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("<a href=\"nope.md\">b</a>"), "{}", r.html);
    assert!(
        r.html.contains("<a href=\"/stories/story/#s%C3%A9\">i</a>"),
        "{}",
        r.html
    );
}

#[test]
fn resolve_is_called_only_for_document_links() {
    let calls = std::cell::RefCell::new(Vec::new());
    let resolve = |p: &str| {
        calls.borrow_mut().push(p.to_string());
        None
    };
    render(
        "[a](a.md#x) [b](b.png) [c](https://x/c.md) ![d](d.md)",
        &resolve,
    );
    assert_eq!(*calls.borrow(), ["a.md", "d.md"]);
}

// ---------------------------------------------------------------------------------------------
// Ids, toc, sections, text

#[test]
fn heading_ids_are_unique_and_explicit_ids_win() {
    let r = render(
        "# Overview\n## Overview\n## Overview {#custom}\n## Overview-1\n### Custom\n## X {#overview-2}\n\nA[^o].\n\n[^o]: Note.\n## fn-o\n",
        &no_docs,
    );
    let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "overview",
            "overview-1",
            "custom",
            "overview-1-1",
            "custom-1",
            "overview-2",
            "fn-o-1"
        ]
    );
    let mut all = r.ids.clone();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), r.ids.len(), "{:?}", r.ids);
    for id in &r.ids {
        assert!(
            r.html.contains(&format!(" id=\"{id}\"")),
            "{id} not in html"
        );
    }
    assert_eq!(
        r.toc[0],
        TocEntry {
            level: 1,
            id: "overview".into(),
            title: "Overview".into()
        }
    );
    assert_eq!(r.toc[4].level, 3);
}

#[test]
fn ids_include_footnotes() {
    let r = render(
        "Text[^a] and[^B].\n\n[^a]: One.\n[^b]: Two.\n\n## Notes\n",
        &no_docs,
    );
    assert_eq!(r.ids, ["fn-a", "fnref-a", "fn-b", "fnref-b", "notes"]);
    assert!(r.html.contains("<li id=\"fn-a\">"));
    assert!(r.html.contains("href=\"#fn-b\" id=\"fnref-b\""));
}

#[test]
fn toc_titles_are_plain_text() {
    let r = render(
        "## A *b* `c` [d](e.md) ![f](g.png)\n\n## Smart \"quotes\"\n",
        &no_docs,
    );
    let titles: Vec<&str> = r.toc.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(titles, ["A b c d f", "Smart “quotes”"]);
    assert_eq!(r.toc[0].id, "a-b-c-d-f");
}

#[test]
fn sections_split_at_headings() {
    let r = render(
        "Intro text.\n\n## One\n\nFirst *para*.\n\nSecond.\n\n### Two {#two}\n\n- a\n- b\n\n## Three\n",
        &no_docs,
    );
    let s = &r.sections;
    assert_eq!(s.len(), 4);
    assert_eq!(
        s[0],
        Section {
            anchor: None,
            heading: String::new(),
            text: "Intro text.".into()
        }
    );
    assert_eq!(
        s[1],
        Section {
            anchor: Some("one".into()),
            heading: "One".into(),
            text: "First para.\nSecond.".into()
        }
    );
    assert_eq!(
        s[2],
        Section {
            anchor: Some("two".into()),
            heading: "Two".into(),
            text: "a\nb".into()
        }
    );
    assert_eq!(
        s[3],
        Section {
            anchor: Some("three".into()),
            heading: "Three".into(),
            text: String::new()
        }
    );
}

#[test]
fn no_leading_section_when_body_starts_with_heading() {
    let r = render("## Only\n\nBody.\n", &no_docs);
    assert_eq!(
        r.sections,
        [Section {
            anchor: Some("only".into()),
            heading: "Only".into(),
            text: "Body.".into()
        }]
    );
    assert!(render("", &no_docs).sections.is_empty());
}

#[test]
fn text_has_no_tags_and_no_glued_words() {
    let body = "# Head\nPara one\nline two  \nhard\n\n- item *one*\n- item two\n\n> quote\n\n\
                | h1 | h2 |\n|---|---|\n| c1 | c2 |\n\n```rust\nfn main() {}\n```\n\n\
                ![alt text](x.png)end <b>bold</b> <div>block</div>\n\n<div>\n<p>raw</p><p>html</p>\n</div>\n\n\
                Note[^1].\n\n[^1]: Footnote text.\n";
    let r = render(body, &no_docs);
    assert!(
        !r.text.contains('<') && !r.text.contains('>'),
        "{:?}",
        r.text
    );
    let words: Vec<&str> = r.text.split_whitespace().collect();
    assert_eq!(
        words,
        [
            "Head", "Para", "one", "line", "two", "hard", "item", "one", "item", "two", "quote",
            "h1", "h2", "c1", "c2", "fn", "main()", "{}", "alt", "text", "end", "bold", "block",
            "raw", "html", "Note.", "Footnote", "text."
        ]
    );
    assert_eq!(r.word_count, 27, "`{{}}` is not a word");
    assert!(r.has_code);
}

#[test]
fn word_count_counts_runs_with_letters_or_digits() {
    assert_eq!(writer::count_words("  one two\tthree\nfour  "), 4);
    assert_eq!(writer::count_words("it’s — {} x 42 … café 日本"), 5);
    assert_eq!(writer::count_words(""), 0);
}

/// Counting asks whether a character is a letter only until its word has one: the same counts
/// as asking of every character, on Spanish and on random strings of letters, digits, marks
/// and spaces in and out of ASCII.
#[test]
fn word_count_is_the_same_when_it_stops_asking_at_the_first_letter() {
    fn every_char(text: &str) -> usize {
        let (mut count, mut in_word, mut counted) = (0, false, false);
        for c in text.chars() {
            let space = if c.is_ascii() {
                (c as u8).is_ascii_whitespace()
            } else {
                c.is_whitespace()
            };
            if space {
                in_word = false;
                continue;
            }
            if !in_word {
                in_word = true;
                counted = false;
            }
            if c.is_alphanumeric() && !counted {
                counted = true;
                count += 1;
            }
        }
        count
    }
    let mut cases = vec![
        "¿Qué es la asociación? ¡Más de 4,5 millones! — él, ése, «año» ½ ² \u{a0}x\u{85}y\u{b}z"
            .to_string(),
    ];
    cases.extend(crate::util::random_texts(
        "a5 \t\u{b}\u{a0}\u{85}\u{3000}é—¿½²日{×÷ÀÿÑ",
        0x9E37_79B9_7F4A_7C15,
        20_000,
    ));
    // Longer texts, read eight ASCII bytes at a time where they can be: every kind of byte
    // (the vertical tab is not ASCII whitespace), at every place in a group of eight.
    let pieces = [
        "a", "Z", "5", " ", "\t", "\n", "\u{b}", "\u{c}", "\r", "-", "'", "(", ".", "—", "é",
        "\u{a0}", "¿", "日", "word", "it's", "  ", "--", "×", "÷", "Ñ", "ÿ",
    ];
    let mut x = 0x2545_F491_4F6C_DD1D_u64;
    for _ in 0..20_000 {
        let mut t = String::new();
        for _ in 0..(x % 40) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            t.push_str(pieces[x as usize % pieces.len()]);
        }
        cases.push(t);
    }
    for t in &cases {
        assert_eq!(writer::count_words(t), every_char(t), "{t:?}");
    }
}

#[test]
fn has_code_and_word_count() {
    let r = render("Just *three* words.", &no_docs);
    assert!(!r.has_code);
    assert_eq!(r.word_count, 3);
    assert!(render("    indented\n", &no_docs).has_code);
    assert!(render("```\nplain\n```\n", &no_docs).has_code);
}

#[test]
fn table_label_uses_first_header_cell() {
    assert!(html("| *Measure* x | b |\n|---|---|\n").contains("aria-label=\"Table: Measure x\""));
    assert!(html("|  | b |\n|---|---|\n| 1 | 2 |\n").contains("aria-label=\"Table\""));
    assert!(
        html("| \"q\" & <b>x</b> | b |\n|---|---|\n").contains("aria-label=\"Table: “q” &amp; x\"")
    );
}

#[test]
fn headings_get_ids_in_lists_quotes_and_footnotes() {
    let r = render(
        "> ## Quoted\n\n- ## Listed\n\nRef[^n]\n\n[^n]: ## Noted\n",
        &no_docs,
    );
    let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["quoted", "listed", "noted"]);
    assert!(r.html.contains("<h2 id=\"noted\">Noted</h2>"), "{}", r.html);
}

#[test]
fn heading_attributes_are_escaped_or_dropped() {
    let h = html("## T {#a .b c=\"d\" data-x=y onclick=z}\n");
    assert!(h.starts_with("<h2 id=\"a\" class=\"b\""), "{h}");
    assert!(h.contains(" data-x=\"y\""), "{h}");
}

#[test]
fn output_is_deterministic() {
    let body = "## A\n\n## A\n\nx[^1] [l](a.md)\n\n[^1]: n\n\n```yaml\na: 1\n```\n";
    assert_eq!(render(body, &some_docs), render(body, &some_docs));
}

// ---------------------------------------------------------------------------------------------
// Robustness

#[test]
fn pathological_inputs_do_not_panic() {
    let deep_list: String = (0..1_000)
        .map(|i| format!("{}- x\n", "  ".repeat(i)))
        .collect();
    let deep_quote = format!("{} deep [l](a.md)\n", ">".repeat(10_000));
    let brackets = "[".repeat(10_000) + &"](".repeat(5_000) + &"]".repeat(10_000);
    let nul = "a\0b [x\0](y\0.md) `\0` ```\0\n\0\n```\n# \0\n";
    let crlf = "## A\r\n\r\n[x](y.md)\r\n\r\n| a |\r\n|---|\r\n| b |\r\n";
    let images = "![".repeat(10_000) + "x" + &"](y)".repeat(10_000);
    for body in [
        deep_list.as_str(),
        &deep_quote,
        &brackets,
        nul,
        crlf,
        &images,
        "\r",
        "\n\r",
        "[^]:",
        "|\n|-|",
    ] {
        let r = render(body, &no_docs);
        check_links_inside(body, &r);
    }
}

/// 4 MB here; the 20 MB version is `huge_body_20_mb` (ignored: slow in debug builds).
#[test]
fn big_body_renders() {
    check_big_body(4);
}

/// `cargo test --release --lib markdown::tests::huge_body -- --ignored`
#[test]
#[ignore]
fn huge_body_20_mb() {
    let start = std::time::Instant::now();
    check_big_body(20);
    println!("20 MB rendered in {:?}", start.elapsed());
}

fn check_big_body(mb: usize) {
    let para = "Some *words* and a [link](other.md#x) with `code`.\n\n## Heading\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n";
    let body = para.repeat(mb * 1024 * 1024 / para.len());
    let r = render(&body, &no_docs);
    assert_eq!(r.links.len(), body.len() / para.len());
    let last = r.links.last().unwrap();
    assert_eq!(last.line, body.lines().count() - 7);
    assert_eq!(r.ids.len(), body.len() / para.len());
}

#[test]
fn huge_code_block_is_not_highlighted() {
    let body = format!("```yaml\n{}```\n", "key: value\n".repeat(50_000));
    let r = render(&body, &no_docs);
    assert!(r.html.starts_with("<pre class=\"code\"><code>key: value\n"));
}

fn check_links_inside(body: &str, r: &Rendered) {
    let lines: Vec<&str> = body.split('\n').collect();
    let mut chars: std::collections::HashMap<usize, Vec<char>> = std::collections::HashMap::new();
    for link in &r.links {
        assert!(link.line >= 1 && link.line <= lines.len(), "{link:?}");
        let line = chars
            .entry(link.line)
            .or_insert_with(|| lines[link.line - 1].chars().collect());
        assert!(
            link.col >= 1 && link.col <= line.len(),
            "{link:?} in {line:?}"
        );
        let first = line[link.col - 1];
        if let Some(address) = link.dest.strip_prefix("mailto:")
            && !matches!(first, '[' | '<')
        {
            // An email address typed in the text (with or without `mailto:` before it).
            let written: String = line[link.col - 1..].iter().collect();
            let written = written
                .strip_prefix("mailto:")
                .or_else(|| written.strip_prefix("MAILTO:"))
                .unwrap_or(&written);
            assert!(written.starts_with(address), "{link:?} at {written:?}");
            continue;
        }
        assert!(
            matches!(first, '[' | '!' | '<' | 'h' | 'H' | 'w' | 'W'),
            "{link:?} starts at {first:?}"
        );
        if matches!(first, 'h' | 'H' | 'w' | 'W') {
            // An address typed in the text: the link is where it is written.
            let written: String = line[link.col - 1..].iter().collect();
            let shown = link
                .dest
                .strip_prefix("https://")
                .filter(|_| matches!(first, 'w' | 'W'));
            let shown = shown.unwrap_or(&link.dest);
            assert!(written.starts_with(shown), "{link:?} at {written:?}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_strings_render_and_links_point_into_body(body in "\\PC{0,300}") {
        let r = render(&body, &no_docs);
        check_links_inside(&body, &r);
    }

    #[test]
    fn markdownish_strings_render_and_links_point_into_body(
        body in "([\\[\\]()!#*_`<>|^~:. \\-xé日a.md/]|\r\n|\n|\r|\t|https://|www\\.|\\[\\^1\\]|\\{#i\\}){0,120}"
    ) {
        let r = render(&body, &some_docs);
        check_links_inside(&body, &r);
        let mut ids = r.ids.clone();
        ids.sort();
        ids.dedup();
        prop_assert_eq!(ids.len(), r.ids.len());
    }
}

// ---------------------------------------------------------------------------------------------
// Timing: `cargo test --release --lib markdown::tests::timing -- --ignored --nocapture`

/// A 1,000-word document: prose with headings, lists and links, and (when `code`) a YAML block.
fn sample_doc(code: bool) -> String {
    let mut body = String::new();
    for i in 0..22 {
        body.push_str(&format!("## Section {i}\n\n"));
        body.push_str(
            "Partnership means *working together* on the problems that matter most to patients, members and \
             managers, with [a guide](../guides/find-tools.md) and a \"smart\" quote -- every day of the week, \
             because teams that share decisions deliver better care.\n\n- one item to check\n- another item here\n\n",
        );
    }
    if code {
        body.push_str("```yaml\ntitle: Learning to lead\ndate: 2013-07-22\ntopics: [union-members, leadership]\n```\n");
    }
    body
}

fn time_render(label: &str, body: &str, n: u32) {
    let r = render(body, &some_docs);
    let start = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(render(std::hint::black_box(body), &some_docs));
    }
    let per = start.elapsed() / n;
    println!(
        "{label}: {} words, {} bytes: {per:?} per render",
        r.word_count,
        body.len()
    );
}

// Timing (numbers only mean something on an idle machine):
// `cargo test --release --lib markdown::tests::timing -- --ignored --nocapture --test-threads 1`

#[test]
#[ignore]
fn timing_1000_words_with_code() {
    time_render("1,000 words + yaml block", &sample_doc(true), 5_000);
}

#[test]
#[ignore]
fn timing_1000_words_prose() {
    time_render("1,000 words, no code", &sample_doc(false), 5_000);
}

#[test]
#[ignore]
fn timing_yaml_blocks() {
    let line = "key: [a, b] # comment\n";
    for lines in [1, 10, 100] {
        time_render(
            &format!("yaml block of {lines} lines"),
            &format!("```yaml\n{}```\n", line.repeat(lines)),
            500,
        );
    }
}

#[test]
#[ignore]
fn timing_pulldown_alone() {
    let body = sample_doc(false);
    let start = std::time::Instant::now();
    for _ in 0..5_000 {
        let mut out = String::new();
        pulldown_cmark::html::push_html(
            &mut out,
            pulldown_cmark::Parser::new_ext(&body, writer::options()),
        );
        std::hint::black_box(out);
    }
    println!(
        "pulldown-cmark push_html alone, same document: {:?}",
        start.elapsed() / 5_000
    );
}

/// Every feature on one page, for the Nu Html Checker:
/// `LMP_MD_PAGE=/tmp/page.html cargo test --lib markdown::tests::sample_page -- --ignored`,
/// then `java -jar vnu.jar /tmp/page.html`.
#[test]
#[ignore]
fn sample_page_for_html_validation() {
    let body = "# Title\n\nIntro with a note[^1] and [a link](../guides/find-tools.md#step-2), [missing](nope.md), \
                [frag](#overview), <https://example.org>, <team@example.org>.\n\n## Overview\n\n## Overview\n\n\
                ## Step two {#step-2 .wide data-x=y}\n\n| Measure | Before | After |\n|:--|:-:|--:|\n| Satisfaction | 62% | 81% |\n\n\
                |  | b |\n|---|---|\n\n- [x] Done\n- [ ] Not done\n\n1. [ ] loose\n\n3. [x] loose two\n\n\
                > quote with ~~strike~~ and **strong** and `code`\n\n```yaml\ntitle: x # c\n```\n\n```klingon\n<x>\n```\n\n\
                    indented\n\n![A *happy* team](/images/team.jpg \"Team\")\n\n---\n\nHard  \nbreak \"smart\" -- quotes...\n\n\
                <div class=\"note\">\n<p>Raw <b>HTML</b></p>\n</div>\n\n> ## Quoted heading\n\n\
                [^1]: The note, twice referenced[^2].\n[^2]: Second.\n\n    More.\n\n[^unused]: Unused.\n";
    let r = render(body, &some_docs);
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Sample</title>\n\
         <link rel=\"stylesheet\" href=\"syntax.css\">\n</head>\n<body>\n<main>\n{}</main>\n</body>\n</html>\n",
        r.html
    );
    if let Some(path) = std::env::var_os("LMP_MD_PAGE") {
        crate::fsx::write_replacing(std::path::Path::new(&path), page.as_bytes()).unwrap();
    } else {
        println!("{page}");
    }
}

#[test]
fn crlf_code_blocks_and_headings() {
    let r = render(
        "## A\r\n\r\n```yaml\r\na: 1\r\nb: 2\r\n```\r\n\r\n    x\r\n",
        &no_docs,
    );
    assert_eq!(r.toc[0].title, "A");
    assert!(!r.html.contains('\r'), "{:?}", r.html);
}

/// QA Q127: `lmp serve` keeps the bodies it rendered in a scratch file; an edited body's old
/// parts must be given back when the last copy of the old body goes (they stayed for as long as
/// `serve` ran), and never while a copy can still read them.
#[cfg(unix)]
#[test]
fn a_spilled_body_gives_its_space_back_with_its_last_copy() {
    use std::sync::Arc;
    let dir = tempfile::tempdir().unwrap();
    let spill = Arc::new(crate::fsx::spill::Spill::reusing(dir.path()).unwrap());
    let body =
        "## Staffing\n\nThe huddle board shows every shift.\n\n## Results\n\nWait times fell.\n"
            .repeat(40);
    let mut r = render(&body, &no_docs);
    let (html, sections) = (r.html.clone(), r.sections.clone());
    r.spill(&spill);
    assert!(r.html.is_empty() && spill.live() > html.len() as u64);
    let copy = Arc::new(r.clone());
    drop(r);
    assert_eq!(
        copy.html().unwrap(),
        html,
        "a copy reads the body after the first goes"
    );
    assert_eq!(copy.sections().unwrap().as_ref(), sections.as_slice());
    // Edited: the new body takes the old one's place once the old one is gone.
    let before = spill.size();
    drop(copy);
    assert_eq!(spill.live(), 0, "the old body's space is given back");
    let mut edited = render(&body.replace("fell", "fell by half"), &no_docs);
    edited.spill(&spill);
    assert!(
        spill.size() < 2 * before,
        "the edited body reuses the space: {} bytes, {before} before",
        spill.size()
    );
    drop((edited, spill, dir));
}

/// Whether a body has an `<img` tag is known once it is spilled, without reading it back (the
/// images' pass asks it of every body), and is what the HTML says before and after spilling.
#[cfg(unix)]
#[test]
fn a_spilled_body_knows_whether_it_has_an_image() {
    use std::sync::Arc;
    let dir = tempfile::tempdir().unwrap();
    let spill = Arc::new(crate::fsx::spill::Spill::reusing(dir.path()).unwrap());
    for (body, img) in [
        ("Wait times fell.\n\n![A huddle board](board.png)\n", true),
        (
            "Wait times fell.\n\n<figure><img src=\"x.png\" alt=\"x\"></figure>\n",
            true,
        ),
        ("Wait times fell. `<img>` in code is text.\n", false),
        ("Los tiempos de espera bajaron.\n", false),
    ] {
        let mut r = render(body, &no_docs);
        assert_eq!(r.has_img_tag(), r.html.contains("<img"), "{body}");
        assert_eq!(r.has_img_tag(), img, "{body}: {}", r.html);
        r.spill(&spill);
        assert!(r.html.is_empty(), "spilled");
        assert_eq!(r.has_img_tag(), img, "{body}, spilled");
        let mut made_again = r.clone();
        made_again.set_html("<p><img src=\"y.png\" alt=\"y\"></p>".to_string());
        assert!(
            made_again.has_img_tag(),
            "made again after spilling: its own HTML"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Web addresses typed in the text (GFM's extended autolinks)

/// The links of `body`'s HTML: (href, text) of every `<a href>`.
fn anchors(body: &str) -> Vec<(String, String)> {
    let h = html(body);
    let mut out = Vec::new();
    let mut rest = h.as_str();
    while let Some(at) = rest.find("<a href=\"") {
        rest = &rest[at + 9..];
        let href = &rest[..rest.find('"').unwrap()];
        let text_at = rest.find('>').unwrap() + 1;
        let text = &rest[text_at..rest.find("</a>").unwrap()];
        out.push((href.to_string(), text.to_string()));
    }
    out
}

#[test]
fn web_addresses_typed_in_the_text_are_links_as_on_github() {
    let one = |href: &str, text: &str| vec![(href.to_string(), text.to_string())];
    for (body, want) in [
        // GFM's examples (www. links to https:// here; GitHub writes http://).
        (
            "www.commonmark.org",
            one("https://www.commonmark.org", "www.commonmark.org"),
        ),
        (
            "Visit www.commonmark.org/help for more information.",
            one("https://www.commonmark.org/help", "www.commonmark.org/help"),
        ),
        (
            "Visit www.commonmark.org.",
            one("https://www.commonmark.org", "www.commonmark.org"),
        ),
        // Smart punctuation is not applied inside an address: it links where it was typed.
        (
            "See https://example.org/a--b/here...",
            one(
                "https://example.org/a--b/here",
                "https://example.org/a--b/here",
            ),
        ),
        (
            "See www.example.org/a---b today",
            one("https://www.example.org/a---b", "www.example.org/a---b"),
        ),
        (
            "Visit www.commonmark.org/a.b.",
            one("https://www.commonmark.org/a.b", "www.commonmark.org/a.b"),
        ),
        (
            "www.google.com/search?q=Markup+(business)",
            one(
                "https://www.google.com/search?q=Markup+(business)",
                "www.google.com/search?q=Markup+(business)",
            ),
        ),
        (
            "www.google.com/search?q=Markup+(business)))",
            one(
                "https://www.google.com/search?q=Markup+(business)",
                "www.google.com/search?q=Markup+(business)",
            ),
        ),
        (
            "(www.google.com/search?q=Markup+(business))",
            one(
                "https://www.google.com/search?q=Markup+(business)",
                "www.google.com/search?q=Markup+(business)",
            ),
        ),
        (
            "(www.google.com/search?q=Markup+(business)",
            one(
                "https://www.google.com/search?q=Markup+(business)",
                "www.google.com/search?q=Markup+(business)",
            ),
        ),
        (
            "www.google.com/search?q=(business))+ok",
            one(
                "https://www.google.com/search?q=(business))+ok",
                "www.google.com/search?q=(business))+ok",
            ),
        ),
        (
            "www.google.com/search?q=commonmark&amp;hl=en",
            one(
                "https://www.google.com/search?q=commonmark&amp;hl=en",
                "www.google.com/search?q=commonmark&amp;hl=en",
            ),
        ),
        (
            "www.google.com/search?q=commonmark&amp;hl;",
            one(
                "https://www.google.com/search?q=commonmark",
                "www.google.com/search?q=commonmark",
            ),
        ),
        (
            "www.commonmark.org/he<lp",
            one("https://www.commonmark.org/he", "www.commonmark.org/he"),
        ),
        (
            "http://commonmark.org",
            one("http://commonmark.org", "http://commonmark.org"),
        ),
        (
            "(Visit https://encrypted.google.com/search?q=Markup+(business))",
            one(
                "https://encrypted.google.com/search?q=Markup+(business)",
                "https://encrypted.google.com/search?q=Markup+(business)",
            ),
        ),
        // What authors write.
        (
            "Visit https://www.kp.org for more.",
            one("https://www.kp.org", "https://www.kp.org"),
        ),
        (
            "See HTTPS://WWW.KP.ORG/",
            one("HTTPS://WWW.KP.ORG/", "HTTPS://WWW.KP.ORG/"),
        ),
        ("Is it www.kp.org?", one("https://www.kp.org", "www.kp.org")),
        (
            "\"https://www.kp.org/careers\"",
            one("https://www.kp.org/careers", "https://www.kp.org/careers"),
        ),
        (
            "*https://www.kp.org*",
            one("https://www.kp.org", "https://www.kp.org"),
        ),
        ("**www.kp.org**", one("https://www.kp.org", "www.kp.org")),
        (
            "http://localhost:1111/stories/",
            one(
                "http://localhost:1111/stories/",
                "http://localhost:1111/stories/",
            ),
        ),
        // `_` in the path: the parser splits the text there; the address is whole.
        (
            "Read https://lmpartnership.org/a_b_c/x_y now",
            one(
                "https://lmpartnership.org/a_b_c/x_y",
                "https://lmpartnership.org/a_b_c/x_y",
            ),
        ),
        (
            "Read https://lmpartnership.org/a\\_b\\_c now",
            one(
                "https://lmpartnership.org/a_b_c",
                "https://lmpartnership.org/a_b_c",
            ),
        ),
        // Not addresses: left as text.
        ("www. is how they start", vec![]),
        ("https:// alone", vec![]),
        ("x.www.kp.org and wwwww.kp.org", vec![]),
        ("foohttps://kp.org", vec![]),
        ("www.x_y.z and www.kp_org.z", vec![]),
        // Not in code, nor in a link, nor in a raw `<a>` or `<code>`.
        ("`https://www.kp.org`", vec![]),
        ("```\nhttps://www.kp.org\n```", vec![]),
        ("    https://www.kp.org", vec![]),
        (
            "[https://www.kp.org](https://www.kp.org/x)",
            one("https://www.kp.org/x", "https://www.kp.org"),
        ),
        (
            "<https://www.kp.org>",
            one("https://www.kp.org", "https://www.kp.org"),
        ),
        (
            "<a href=\"https://a.org/\">see www.kp.org</a>",
            one("https://a.org/", "see www.kp.org"),
        ),
        (
            "<code>www.kp.org</code> and <kbd>https://kp.org</kbd>",
            vec![],
        ),
    ] {
        assert_eq!(anchors(body), want, "{body:?}: {}", html(body));
    }
    // Two in a line, and text around them kept.
    assert_eq!(
        html("Go to www.kp.org, then https://lmpartnership.org/ubt.\n"),
        "<p>Go to <a href=\"https://www.kp.org\">www.kp.org</a>, then <a href=\"https://lmpartnership.org/ubt\">https://lmpartnership.org/ubt</a>.</p>\n"
    );
    // Not in a picture's text.
    assert!(!html("![see www.kp.org](x.png)").contains("<a"));
}

#[test]
fn email_addresses_typed_in_the_text_are_mailto_links_as_on_github() {
    let one = |href: &str, text: &str| vec![(href.to_string(), text.to_string())];
    for (body, want) in [
        // GFM's examples.
        ("foo@bar.baz", one("mailto:foo@bar.baz", "foo@bar.baz")),
        (
            "hello@mail+xyz.example isn't valid, but hello+xyz@mail.example is.",
            one("mailto:hello+xyz@mail.example", "hello+xyz@mail.example"),
        ),
        ("a.b-c_d@a.b", one("mailto:a.b-c_d@a.b", "a.b-c_d@a.b")),
        ("a.b-c_d@a.b.", one("mailto:a.b-c_d@a.b", "a.b-c_d@a.b")),
        ("a.b-c_d@a.b-", vec![]),
        ("a.b-c_d@a.b_", vec![]),
        (
            "mailto:foo@bar.baz",
            one("mailto:foo@bar.baz", "mailto:foo@bar.baz"),
        ),
        // What authors write.
        (
            "Questions? Write to lmp-feedback@kp.org.",
            one("mailto:lmp-feedback@kp.org", "lmp-feedback@kp.org"),
        ),
        (
            "(Maria.Lopez@kp.org)",
            one("mailto:Maria.Lopez@kp.org", "Maria.Lopez@kp.org"),
        ),
        (
            "**first_last@kp.org**, today",
            one("mailto:first_last@kp.org", "first_last@kp.org"),
        ),
        (
            "Email MAILTO:A@KP.ORG",
            one("mailto:A@KP.ORG", "MAILTO:A@KP.ORG"),
        ),
        // Not addresses: left as text.
        ("@kp.org and name@ and name@kp and name@kp.", vec![]),
        ("follow @LMPartnership", vec![]),
        ("a@b@kp.org", vec![]),
        ("josé@kp.org", vec![]),
        // In a web address: that link only.
        (
            "https://x.org/contact/a@kp.org and www.kp.org/?to=b@kp.org",
            vec![
                (
                    "https://x.org/contact/a@kp.org".to_string(),
                    "https://x.org/contact/a@kp.org".to_string(),
                ),
                (
                    "https://www.kp.org/?to=b@kp.org".to_string(),
                    "www.kp.org/?to=b@kp.org".to_string(),
                ),
            ],
        ),
        // Not in code, nor in a link, nor in a raw `<a>` or `<code>`.
        ("`a@kp.org`", vec![]),
        ("```\na@kp.org\n```", vec![]),
        (
            "[write to a@kp.org](mailto:a@kp.org)",
            one("mailto:a@kp.org", "write to a@kp.org"),
        ),
        ("<a@kp.org>", one("mailto:a@kp.org", "a@kp.org")),
        (
            "<a href=\"/contact/\">a@kp.org</a>",
            one("/contact/", "a@kp.org"),
        ),
        ("<code>a@kp.org</code>", vec![]),
    ] {
        assert_eq!(anchors(body), want, "{body:?}: {}", html(body));
    }
    // A web address and an email address in one sentence, in order, the text around kept.
    assert_eq!(
        html("See www.kp.org or write to a.b@kp.org, today.\n"),
        "<p>See <a href=\"https://www.kp.org\">www.kp.org</a> or write to <a href=\"mailto:a.b@kp.org\">a.b@kp.org</a>, today.</p>\n"
    );
    // Its place in the file, for messages about it.
    let r = render("Intro.\n\nWrite to *someone@kp.org* now.\n", &no_docs);
    let links: Vec<(&str, usize, usize)> = r
        .links
        .iter()
        .map(|l| (l.dest.as_str(), l.line, l.col))
        .collect();
    assert_eq!(links, [("mailto:someone@kp.org", 3, 11)]);
    // Not in a picture's text.
    assert!(!html("![write to a@kp.org](x.png)").contains("<a"));
}

#[test]
fn a_web_address_typed_in_the_text_is_a_link_at_its_place() {
    let body = "Intro.\n\n> Call or visit  **www.kp.org/x_y** (today)\n\nAnd *https://a.org/é*.\n";
    let r = render(body, &no_docs);
    let links: Vec<(&str, usize, usize)> = r
        .links
        .iter()
        .map(|l| (l.dest.as_str(), l.line, l.col))
        .collect();
    assert_eq!(
        links,
        [("https://www.kp.org/x_y", 3, 20), ("https://a.org/é", 5, 6)]
    );
    assert!(matches!(r.links[0].kind, LinkKind::Other));
    // The text reads the same: search finds the words of the address.
    assert!(
        r.text.contains("Call or visit  www.kp.org/x_y (today)"),
        "{}",
        r.text
    );
}
