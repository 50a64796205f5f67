//! Markdown rendering: one pass of pulldown-cmark per document produces everything the rest of the
//! pipeline needs — the HTML, the table of contents, unique heading ids, the plain text (whole and
//! per section, for the search index), and the outgoing links with their positions.
//!
//! CONTRACT (the rest of the crate relies on these signatures):
//! `render(body, resolve) -> Rendered`. `resolve` is called for every relative link whose path ends in
//! `.md` (e.g. `../guides/find-tools.md`, fragment stripped) and returns the target's URL, or `None`
//! when no such document exists. Line/col in [`Link`] are 1-based and relative to `body`.
//!
//! Link paths given to `resolve` are percent-decoded and have no `#fragment` or `?query`; a `.MD`
//! suffix counts too. `Link::col` counts characters; with CRLF files the `\r` ends the previous line.
//!
//! The HTML the theme styles (`themes/lmp/static/syntax.css` holds the `hl-` token colours):
//! - `<hN id="…">` on every heading (explicit `{#id .class attr=v}` honoured);
//! - `<div class="table-wrap" role="region" tabindex="0" aria-label="Table: {first header}">` around
//!   each `<table>` (give it `overflow-x: auto`);
//! - `<pre class="code" data-lang="yaml"><code>` with `<span class="hl-…">` tokens, or
//!   `<pre class="code"><code>` for plain code;
//! - `<li class="task"><input type="checkbox" disabled aria-label="Done|Not done"> …` for task lists;
//!   these labels ("Table", "Done", "Not done", "Footnotes", "Back to reference 1") are the theme's
//!   `md_*` strings in the page's language when a [`components::Host`] gives them (QA Q72);
//! - footnote references `<sup class="footnote-ref"><a href="#fn-x" id="fnref-x">1</a></sup>`, and the
//!   notes gathered at the end in `<section class="footnotes" aria-label="Footnotes"><ol><li id="fn-x">`
//!   with `<a class="footnote-backref">↩</a>` back links.
//!
//! `Rendered::ids` lists, in order of assignment, heading ids, footnote ids (`fn-…`) and footnote
//! reference ids (`fnref-…`); ids inside raw HTML are not collected. All of them are unique per page.
//!
//! Files: `writer` is the pass itself, `autolink` makes the web addresses typed in the text
//! links (before the pass), `anchors` makes heading and footnote ids, `highlight` is the only
//! file naming syntect (code blocks, and the stylesheet `themes/lmp/static/syntax.css` is
//! generated from, under `cfg(test)`), `escape` escapes HTML and URLs.

use crate::fsx::spill::Held;

mod anchors;
#[cfg(test)]
mod authoring_tests;
mod autolink;
pub(crate) mod components;
mod highlight;
pub(crate) mod sanitize;
mod slips;
#[cfg(test)]
mod tests;
mod writer;

/// A heading in the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// A part of the document between two headings, for the search index. The first section (text
/// before any heading) has `anchor: None` and an empty heading.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Section {
    pub anchor: Option<String>,
    pub heading: String,
    pub text: String,
}

/// What kind of link a [`Link`] is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LinkKind {
    /// A relative link to a `.md` file. `url` is `None` when the target does not exist.
    Document {
        path: String,
        fragment: Option<String>,
        url: Option<String>,
    },
    /// `#fragment` within the same page.
    Fragment(String),
    /// Anything else (absolute URL, `mailto:`, site-absolute path, relative non-markdown path).
    Other,
}

/// An outgoing link or image reference found in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Link {
    pub dest: String,
    pub kind: LinkKind,
    pub is_image: bool,
    pub line: usize,
    pub col: usize,
    /// Images: the alt text as written (plain text); empty for links.
    pub alt: String,
}

/// The result of rendering one document's body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Rendered {
    pub html: String,
    /// A 128-bit hash of `html`: what stands for the HTML in page fingerprints.
    pub digest: u128,
    pub toc: Vec<TocEntry>,
    /// The plain text of the body (what `sections` hold, with their headings): tests only, so
    /// that a build does not hold every body's text twice (the sections feed the search index).
    #[cfg(test)]
    pub text: String,
    pub sections: Vec<Section>,
    pub links: Vec<Link>,
    /// Every id an anchor may point at on this page (headings and footnotes).
    pub ids: Vec<String>,
    pub has_code: bool,
    pub word_count: usize,
    /// Warnings and errors about the body (removed raw HTML, components), in body order.
    pub notes: Vec<Note>,
    /// Every component call rendered (to tell, later, whether it still renders the same).
    pub calls: Vec<components::Call>,
    /// Whether the body has component blocks at all (rendered or not).
    pub has_components: bool,
    /// The document's front matter fields written in inline markdown, rendered (QA Q71).
    pub front: Vec<FieldHtml>,
    /// Where `html` and the sections' texts are while a one-off build does not hold them (see
    /// [`Rendered::spill`]); `None`: in the fields.
    pub stored: Option<Stored>,
}

/// A body's HTML and section texts written to the build's scratch file (see
/// [`crate::fsx::spill`]): `html` and every section's `text` are empty meanwhile. Each part is a
/// shared [`Held`]: in `lmp serve`'s file of bodies its space is given back when the last copy of
/// the body goes (QA Q127: an edited body's old parts stayed for as long as `serve` ran).
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    spill: std::sync::Arc<crate::fsx::spill::Spill>,
    /// `None`: the HTML is in the field (a body made again after spilling, e.g. by the images).
    html: Option<std::sync::Arc<Held>>,
    /// Whether the spilled HTML has an `<img` tag (see [`Rendered::has_img_tag`]).
    img: bool,
    /// The sections' texts, joined, with each one's length in bytes.
    texts: Option<(std::sync::Arc<Held>, Vec<u32>)>,
}

impl PartialEq for Stored {
    fn eq(&self, other: &Stored) -> bool {
        let span = |h: &Option<std::sync::Arc<Held>>| h.as_ref().map(|h| h.span());
        std::sync::Arc::ptr_eq(&self.spill, &other.spill)
            && span(&self.html) == span(&other.html)
            && self.texts.as_ref().map(|(h, l)| (h.span(), l))
                == other.texts.as_ref().map(|(h, l)| (h.span(), l))
    }
}

impl Eq for Stored {}

impl Rendered {
    /// The scratch file this body was written to, if it was (see [`Rendered::spill`]).
    pub(crate) fn scratch(&self) -> Option<&std::sync::Arc<crate::fsx::spill::Spill>> {
        self.stored.as_ref().map(|s| &s.spill)
    }

    /// Write the HTML (when it is in memory) and the sections' texts to `spill`, emptying them
    /// here; read back by [`Rendered::html`] and [`Rendered::sections`]. Left as it is when the
    /// write fails (it stays in memory).
    pub(crate) fn spill(&mut self, spill: &std::sync::Arc<crate::fsx::spill::Spill>) {
        let mut stored = match self.stored.take() {
            None => Stored {
                spill: spill.clone(),
                html: None,
                img: false,
                texts: None,
            },
            Some(s) if std::sync::Arc::ptr_eq(&s.spill, spill) => s,
            // Spilled to another build's file: left there.
            Some(other) => {
                self.stored = Some(other);
                return;
            }
        };
        if stored.html.is_none()
            && let Ok(held) = Held::put(spill, self.html.as_bytes())
        {
            stored.html = Some(std::sync::Arc::new(held));
            stored.img = self.html.contains("<img");
            self.html = String::new();
        }
        if stored.texts.is_none() {
            let lens = self.sections.iter().map(|s| s.text.len() as u32).collect();
            let joined: String = self.sections.iter().map(|s| s.text.as_str()).collect();
            if let Ok(held) = Held::put(spill, joined.as_bytes()) {
                stored.texts = Some((std::sync::Arc::new(held), lens));
                for s in &mut self.sections {
                    s.text = String::new();
                }
            }
        }
        self.stored = Some(stored);
    }

    /// Whether the HTML is in memory although the texts are spilled (a body made again after
    /// [`Rendered::spill`]: see [`Rendered::set_html`]).
    pub(crate) fn html_unspilled(&self) -> bool {
        self.stored.as_ref().is_some_and(|s| s.html.is_none())
    }

    /// Replace the HTML (and its digest), e.g. with the images made responsive.
    pub(crate) fn set_html(&mut self, html: String) {
        self.digest = xxhash_rust::xxh3::xxh3_128(html.as_bytes());
        self.html = html;
        if let Some(s) = &mut self.stored {
            s.html = None;
        }
    }

    /// Whether the body's HTML has an `<img` tag, known without reading a spilled body back:
    /// [`crate::media::transform_body`] asks it of every body, and most have none (reading
    /// one back and checking its UTF-8 again cost 0.16 G instructions at 10,000 documents with
    /// Spanish, docs/benchmarks.md session 12).
    pub(crate) fn has_img_tag(&self) -> bool {
        match &self.stored {
            Some(Stored {
                html: Some(_), img, ..
            }) => *img,
            _ => self.html.contains("<img"),
        }
    }

    /// The body's HTML, read back when it was spilled.
    pub(crate) fn html(&self) -> anyhow::Result<std::borrow::Cow<'_, str>> {
        match &self.stored {
            Some(Stored {
                html: Some(held), ..
            }) => Ok(std::borrow::Cow::Owned(held.read_string()?)),
            _ => Ok(std::borrow::Cow::Borrowed(&self.html)),
        }
    }

    /// The body's HTML given to `f`, read back when it was spilled (and not copied into a
    /// `String` then: see [`crate::fsx::spill::Held::with_str`]).
    pub(crate) fn with_html<R>(&self, f: impl FnOnce(&str) -> R) -> anyhow::Result<R> {
        match &self.stored {
            Some(Stored {
                html: Some(held), ..
            }) => held.with_str(f),
            _ => Ok(f(&self.html)),
        }
    }

    /// The sections with their texts, read back when they were spilled.
    pub(crate) fn sections(&self) -> anyhow::Result<std::borrow::Cow<'_, [Section]>> {
        let Some(Stored {
            texts: Some((held, lens)),
            ..
        }) = &self.stored
        else {
            return Ok(std::borrow::Cow::Borrowed(&self.sections));
        };
        let mut out = self.sections.clone();
        held.with_str(|joined| {
            let mut at = 0;
            for (s, &len) in out.iter_mut().zip(lens) {
                let end = at + len as usize;
                s.text = joined
                    .get(at..end)
                    .ok_or_else(|| {
                        anyhow::anyhow!("the scratch file holds less text than written")
                    })?
                    .to_string();
                at = end;
            }
            anyhow::Ok(())
        })??;
        Ok(std::borrow::Cow::Owned(out))
    }
}

/// A problem found while rendering a body; line and col are 1-based, relative to the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Note {
    pub line: usize,
    pub col: usize,
    pub error: bool,
    pub message: String,
    pub help: String,
    /// Caused by another file's errors (see [`crate::diagnostics::Diagnostic::caused`]).
    pub caused: bool,
}

/// Front matter fields whose text is inline markdown (QA Q71): rendered on the document's own
/// page (the lede, the lead picture's caption and credit), as plain text everywhere else (cards,
/// feeds, `<meta name="description">`, search).
pub(crate) const MARKDOWN_FIELDS: [&str; 3] = ["summary", "image_caption", "image_credit"];

/// A front matter field written in inline markdown, as written, and where its value starts in
/// the file (1-based line and character column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MarkedField {
    pub key: &'static str,
    pub markdown: String,
    pub line: usize,
    pub col: usize,
    /// Where each character of `markdown` is written in the file, when it is not simply at
    /// `col` plus its index (a quoted value with escapes or folded over lines, see
    /// [`crate::yaml::quoted_places`]); empty otherwise.
    pub places: Vec<(usize, usize)>,
    /// A translation's field taken from its original (not given again): `line` and `col` are
    /// in the original's file, where its links' problems are reported.
    pub inherited: bool,
}

/// A [`MarkedField`] rendered: its inline HTML (no paragraph around it), and its links and notes
/// at their place in the file (lines and columns of the file, not of the body).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FieldHtml {
    pub key: &'static str,
    /// See [`MarkedField::inherited`].
    pub inherited: bool,
    pub html: String,
    pub links: Vec<Link>,
    pub notes: Vec<Note>,
}

/// `text` with a backslash before a block marker it starts with (`# `, `> `, `- `, `1. `…), so
/// that markdown reads it as inline text: a summary is never a heading or a list.
fn inline_only(text: &str) -> std::borrow::Cow<'_, str> {
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let marker = if digits > 0 {
        text[digits..].starts_with(['.', ')']).then_some(digits)
    } else {
        text.starts_with(['#', '>', '-', '+', '*', '=', '|', '~', '`'])
            .then_some(0)
    };
    match marker {
        Some(at) => format!("{}\\{}", &text[..at], &text[at..]).into(),
        None => text.into(),
    }
}

/// QA Q71: `text`, a front matter field, without its inline markdown (`See [the guide](x.md)`
/// → `See the guide`); `None` when it has none (the common case: then nothing is parsed). A
/// web or email address typed in it is markdown too (a link on the page, as in the body): its
/// text is then the plain text as written.
pub(crate) fn plain_inline(text: &str) -> Option<String> {
    use pulldown_cmark::{Event, Parser};
    if let Some((inner, _, _)) = without_block_tags(text) {
        let inner = inner.split_whitespace().collect::<Vec<_>>().join(" ");
        return Some(plain_inline(&inner).unwrap_or(inner));
    }
    if !text.contains(['[', '*', '_', '`', '<', '\\', '~']) {
        // QA s13: `summary: See https://www.kp.org` stayed text on the page while a summary
        // with other markdown got its address linked.
        return autolink::has_address(text).then(|| text.to_string());
    }
    let src = inline_only(text);
    let mut out = String::with_capacity(text.len());
    let opts = writer::options() - pulldown_cmark::Options::ENABLE_SMART_PUNCTUATION;
    for event in Parser::new_ext(&src, opts) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(pulldown_cmark::TagEnd::Paragraph) => out.push(' '),
            _ => {}
        }
    }
    let out = out.trim_end().to_string();
    (out != text || autolink::has_address(text)).then_some(out)
}

/// Hostile author s21: a summary (or caption) exported from a CMS or copied from a web page's
/// source arrives wrapped in block-level HTML (`<p>…</p>`, `<div><p>…</p></div>`). Markdown
/// reads that as an HTML block, which has no inline text: the summary was empty on cards, in
/// the feed, in search and under the title, without a word. `text` with every block-level tag
/// written as spaces (so that what follows stays at its column) and the spaces it then starts
/// with left out, the number of bytes left out, and the first tag's name; `None` when `text`
/// does not start with a block-level tag.
pub(crate) fn without_block_tags(text: &str) -> Option<(String, usize, String)> {
    fn tag_name(s: &str) -> Option<String> {
        let rest = s.strip_prefix('<')?;
        let rest = rest.strip_prefix('/').unwrap_or(rest);
        let end = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        (end > 0 && rest.as_bytes()[0].is_ascii_alphabetic())
            .then(|| rest[..end].to_ascii_lowercase())
    }
    let block = |name: &str| sanitize::is(name, sanitize::BLOCK);
    let first = tag_name(text.trim_start()).filter(|n| block(n))?;
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match (tag_name(rest), rest.find('>')) {
            (Some(name), Some(end)) if block(&name) => {
                out.extend(std::iter::repeat_n(' ', rest[..=end].chars().count()));
                rest = &rest[end + 1..];
            }
            _ => {
                out.push('<');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    let skipped = out.len() - out.trim_start().len();
    let out = out.trim().to_string();
    Some((out, skipped, first))
}

/// QA Q71: render `fields` (see [`MarkedField`]) with `env`, as a component's markdown
/// arguments are.
pub(crate) fn render_fields(fields: &[MarkedField], env: &Env<'_>) -> Vec<FieldHtml> {
    fields
        .iter()
        .map(|f| {
            let env = Env {
                resolve: env.resolve,
                unsafe_html: env.unsafe_html,
                components: None,
                lang: env.lang,
                link_lang: env.link_lang,
            };
            let unblocked = without_block_tags(&f.markdown);
            let (markdown, shift) = match &unblocked {
                Some((text, skipped, _)) => (text.as_str(), *skipped),
                None => (f.markdown.as_str(), 0),
            };
            let only = inline_only(markdown);
            // `- x` is given as `\- x`: the characters after the `\` are one column on.
            let escaped = (only.len() != markdown.len()).then(|| {
                let k = only
                    .bytes()
                    .zip(markdown.bytes())
                    .take_while(|(a, b)| a == b)
                    .count();
                markdown[..k].chars().count() + 1
            });
            let r = writer::render(&only, &env);
            let at = |line: usize, col: usize| {
                if line <= 1 {
                    let col = match escaped {
                        Some(e) if col > e => col - 1,
                        _ => col,
                    };
                    match f.places.get(shift + col - 1) {
                        Some(&place) => place,
                        None => (f.line, f.col + shift + col - 1),
                    }
                } else {
                    (f.line + line - 1, col)
                }
            };
            let html = r.html.trim_end();
            let html = writer::unwrap_paragraph(html).unwrap_or(html).to_string();
            let mut notes: Vec<Note> = r
                .notes
                .into_iter()
                .map(|mut n| {
                    (n.line, n.col) = at(n.line, n.col);
                    n
                })
                .collect();
            // Hostile author s22: `summary: <img src=…>` (or an HTML comment alone) is an HTML
            // block with no text: the summary was empty on the page, the cards, the feed and
            // search, without a word.
            if plain_inline(&f.markdown).is_some_and(|p| p.trim().is_empty())
                && !f.markdown.trim().is_empty()
            {
                let lower = f.markdown.to_ascii_lowercase();
                let what = if lower.contains("<img") || lower.contains("<picture") {
                    "is only a picture in HTML (`<img …>`)"
                } else if lower.trim_start().starts_with("<!--") {
                    "is only an HTML comment"
                } else {
                    "is only HTML tags"
                };
                let summary = f.key == "summary";
                notes.insert(
                    0,
                    Note {
                        line: f.line,
                        col: f.col,
                        error: summary,
                        message: format!(
                            "`{}` {what}: it shows no text{}",
                            f.key,
                            if summary {
                                " under the title, on cards, in search or in the page's description"
                            } else {
                                ""
                            }
                        ),
                        help: if summary {
                            "write the summary as a sentence of text; to show a picture at the top of the page, give it as `image:` (a path under site/static/) with `image_alt:`".to_string()
                        } else {
                            format!("write `{}` as text, or remove it", f.key)
                        },
                        caused: false,
                    },
                );
            }
            if let Some((_, _, tag)) = &unblocked {
                notes.insert(
                    0,
                    Note {
                        line: f.line,
                        col: f.col,
                        error: false,
                        message: format!(
                            "`{}` is wrapped in `<{tag}>` (HTML from a web page or a CMS?): its HTML tags for paragraphs and boxes are left out, since this field is one line of text",
                            f.key
                        ),
                        help: format!(
                            "remove the HTML tags (`<{tag}>`, `</{tag}>`) and keep the text; write emphasis and links in markdown (`*text*`, `[text](../guides/x.md)`)"
                        ),
                        caused: false,
                    },
                );
            }
            FieldHtml {
                key: f.key,
                inherited: f.inherited,
                html,
                links: r
                    .links
                    .into_iter()
                    .map(|mut l| {
                        (l.line, l.col) = at(l.line, l.col);
                        l
                    })
                    .collect(),
                notes,
            }
        })
        .collect()
}

/// What a body is rendered with.
pub(crate) struct Env<'a> {
    /// See [`render`].
    pub resolve: &'a dyn Fn(&str) -> Option<String>,
    /// `markdown.unsafe_html` in config.yaml: copy raw HTML as written instead of sanitising it.
    pub unsafe_html: bool,
    /// Renders `{name}` blocks; without one they are code blocks.
    pub components: Option<&'a dyn components::Host>,
    /// The language code of the page (`es`; "" for the site's default language): components and
    /// alert titles are rendered in it.
    pub lang: &'a str,
    /// For a relative `.md` link that `resolve` resolved, or a site address of a page
    /// (`/stories/x/`): the language of the page it leads to when that is not the page's (a
    /// translation linking to a document not yet translated), so the link says so (`hreflang`).
    /// `None`: links say nothing.
    pub link_lang: Option<&'a LinkLang<'a>>,
}

/// See [`Env::link_lang`]: a link's path → the language of the page it leads to, when not the
/// page's.
pub(crate) type LinkLang<'a> = dyn Fn(&str) -> Option<String> + 'a;

/// What a resolver gives for a link to a document that exists but is not published in this
/// build (scheduled or expired): the link's text is shown without the link.
pub(crate) const TEXT_ONLY: &str = "";

/// Render a markdown body. See the module docs for the contract.
///
/// The HTML is a fragment: headings carry unique ids, tables are wrapped in a focusable scrolling
/// region, fenced code with a known language is highlighted with `hl-` classes
/// (`themes/lmp/static/syntax.css`), footnotes are collected at the end in a
/// `<section class="footnotes">`. Relative `.md` links are rewritten to the URL `resolve` returns
/// (plus their `#fragment`), and left as written when it returns `None`.
pub(crate) fn render(body: &str, resolve: &dyn Fn(&str) -> Option<String>) -> Rendered {
    writer::render(
        body,
        &Env {
            resolve,
            unsafe_html: false,
            components: None,
            lang: "",
            link_lang: None,
        },
    )
}

/// Render a markdown body with options (see [`Env`]).
pub(crate) fn render_with(body: &str, env: &Env<'_>) -> Rendered {
    writer::render(body, env)
}
