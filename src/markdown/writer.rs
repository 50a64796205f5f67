//! The single pass: walks pulldown-cmark's events once and writes the HTML, the plain text, the
//! table of contents, the sections and the links at the same time.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;

use pulldown_cmark::{Alignment, CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};

use super::anchors::{Ids, slugify};
use super::components::{self as comp, Call, Host};
use super::sanitize::{Removal, Sanitizer};
use super::{Env, Link, LinkKind, Note, Rendered, Section, TocEntry, highlight};
use crate::escape::{escape_attr, escape_href, escape_text, percent_decode};

pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// A tag that starts a block (which [`Writer::block_dir`] looks at on its own).
fn block(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::HtmlBlock
            | Tag::List(_)
            | Tag::Table(_)
            | Tag::DefinitionList
            | Tag::FootnoteDefinition(_)
    )
}

/// The inline HTML of `html` when it is one paragraph (`<p>…</p>`, or `<p dir="auto">…</p>`
/// when it starts right to left): a front matter field or a component's argument in markdown,
/// written inside the theme's own element.
pub(crate) fn unwrap_paragraph(html: &str) -> Option<&str> {
    html.strip_prefix("<p>")
        .or_else(|| html.strip_prefix("<p dir=\"auto\">"))
        .and_then(|h| h.strip_suffix("</p>"))
}

pub(crate) fn render(body: &str, env: &Env<'_>) -> Rendered {
    render_inner(body, env, Ids::default(), true, 1, false).0
}

/// Render with the ids already taken (a component's body shares its page's ids), after a
/// heading of level `level` (1: the page's title).
/// `summary`: the text goes in a `<summary>`, which opens its section when clicked, so it may
/// hold no link (axe: nested-interactive): links are written as their text, with a warning.
fn render_inner(
    body: &str,
    env: &Env<'_>,
    ids: Ids,
    top: bool,
    level: u8,
    summary: bool,
) -> (Rendered, Ids) {
    let source = body;
    // Bullets pasted from Word: the lines become list items (same offsets), with a warning.
    let bullets = super::slips::word_bullets(body);
    let body = bullets.as_ref().map_or(body, |(fixed, _)| fixed.as_str());
    let events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(body, options())
        .into_offset_iter()
        .collect();
    // `Visit https://www.kp.org`: the address is a link, as on GitHub.
    let events = super::autolink::expand(events, body);
    let mut w = Writer::new(body, env.resolve);
    w.source = source;
    for b in bullets.iter().flat_map(|(_, found)| found) {
        let (line, col) = w.locate(b.at);
        let what = if b.char == '•' {
            "a bullet `•` pasted from Word".to_string()
        } else {
            format!("a bullet `{}` pasted from Word", b.char)
        };
        let (message, help) = if b.converted {
            (
                format!("{what}: these lines are shown as a list"),
                "start each item with `- ` (a dash and a space) instead: other markdown editors and previews show the pasted bullet as text",
            )
        } else {
            (
                format!("{what}: this line is shown as text, not as a list item"),
                "start each item with `- ` (a dash and a space) followed by its text",
            )
        };
        w.warn_at(line, col, message, help);
    }
    // Hostile author s23: a YouTube or Vimeo address pasted alone in a paragraph (as a message
    // or a CMS would embed it) is published as a link, not as the video: said, with the
    // component that shows it.
    if top && env.components.is_some() {
        for k in 0..events.len().saturating_sub(4) {
            let (
                (Event::Start(Tag::Paragraph), _),
                (Event::Start(Tag::Link { dest_url, .. }), at),
                (Event::Text(t), _),
                (Event::End(TagEnd::Link), _),
                (Event::End(TagEnd::Paragraph), _),
            ) = (
                &events[k],
                &events[k + 1],
                &events[k + 2],
                &events[k + 3],
                &events[k + 4],
            )
            else {
                continue;
            };
            let shown = t.trim();
            if (shown == dest_url.as_ref() || dest_url.ends_with(shown))
                && let Some(h) = crate::media::video::hosted(dest_url)
            {
                let (line, col) = w.locate(at.start);
                w.warn_at(
                    line,
                    col,
                    format!(
                        "this {} address is shown as a link, not as the video",
                        h.name()
                    ),
                    format!(
                        "to show the video in the page, write it as a component: a line ```{{video}}, then `src: {dest_url}`, then a line ```"
                    ),
                );
            }
        }
    }
    w.ids = ids;
    // A component's body sits under the page's last heading: its headings go on from there
    // (the validator reads one page), its arguments' are not checked (`level` 6).
    w.sanitizer.last_level = level;
    if !top {
        w.in_component = true;
    }
    w.in_summary = summary;
    w.sanitizer.in_summary = summary;
    w.unsafe_html = env.unsafe_html;
    w.host = env.components;
    w.page_lang = env.lang;
    w.link_lang = env.link_lang;
    for (event, _) in &events {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = event
            && !id.is_empty()
        {
            w.ids.reserve_explicit(id);
        }
    }
    for i in 0..events.len() {
        w.event(&events, i);
    }
    let ids = std::mem::take(&mut w.ids);
    (w.finish(), ids)
}

/// A markdown container raw HTML must close its elements in: its name for messages, and
/// whether only text-level content may go inside it.
fn container(end: &TagEnd) -> Option<(&'static str, bool)> {
    Some(match end {
        TagEnd::Paragraph => ("paragraph", true),
        TagEnd::Heading(_) => ("heading", true),
        TagEnd::BlockQuote(_) => ("quote", false),
        TagEnd::Item => ("list item", false),
        TagEnd::FootnoteDefinition => ("footnote", false),
        TagEnd::TableCell => ("table cell", false),
        TagEnd::DefinitionListTitle => ("term", true),
        TagEnd::DefinitionListDefinition => ("definition", false),
        TagEnd::Emphasis
        | TagEnd::Strong
        | TagEnd::Strikethrough
        | TagEnd::Superscript
        | TagEnd::Subscript => ("emphasis", true),
        TagEnd::Link => ("link", true),
        _ => return None,
    })
}

struct HeadingState {
    level: u8,
    /// Byte offset of the heading in the body.
    at: usize,
    explicit: Option<String>,
    classes: Vec<String>,
    attrs: Vec<(String, Option<String>)>,
    text_start: usize,
}

struct HeadingRecord {
    id: String,
    title: String,
    /// Byte range of the heading's own text in `Writer::text`.
    text: Range<usize>,
}

#[derive(Default)]
struct TableState {
    align: Vec<Alignment>,
    in_head: bool,
    cell: usize,
    body_rows: usize,
    first_cell_start: usize,
    label: String,
}

struct CodeState {
    lang: String,
    code: String,
}

struct Footnote {
    id: String,
    /// Ids of the references, in order; their count is the number of back links.
    refs: Vec<String>,
    number: Option<usize>,
    html: Option<String>,
}

/// Where the last link was found, so locating the next one only scans forward.
#[derive(Clone, Copy)]
struct Cursor {
    pos: usize,
    line: usize,
    col: usize,
}

impl Default for Cursor {
    fn default() -> Self {
        Cursor {
            pos: 0,
            line: 1,
            col: 1,
        }
    }
}

struct Writer<'b, 'r> {
    body: &'b str,
    resolve: &'r dyn Fn(&str) -> Option<String>,
    out: String,
    /// Outer buffers while a heading, table or footnote definition is being written.
    saved: Vec<String>,
    text: String,
    ids: Ids,
    id_list: Vec<String>,
    toc: Vec<TocEntry>,
    headings: Vec<HeadingRecord>,
    heading: Option<HeadingState>,
    table: Option<TableState>,
    code: Option<CodeState>,
    has_code: bool,
    /// > 0 inside an image: its content becomes the alt text.
    image_depth: usize,
    /// Index in `links` of the image being written (its alt text is filled in at its end).
    image_link: usize,
    /// The image being read has a URL the sanitiser removed: only its alt text is written.
    image_blocked: bool,
    alt: String,
    image: (String, String),
    links: Vec<Link>,
    cursor: Cursor,
    footnotes: Vec<Footnote>,
    footnote_index: HashMap<String, usize>,
    /// Indices into `footnotes` of the definitions being written (definitions can nest).
    footnote_stack: Vec<usize>,
    next_footnote_number: usize,
    html_text: HtmlTextState,
    /// `markdown.unsafe_html`: raw HTML is copied as written.
    unsafe_html: bool,
    sanitizer: Sanitizer,
    /// With `unsafe_html`: finds the raw `<img>` without `alt` (QA Q121).
    alt_scan: super::sanitize::AltScan,
    /// For each markdown link being written: whether it sits inside a raw `<a>` (its `<a>` is
    /// left out), where its text starts in `text`, and its offset in the body.
    nested_links: Vec<(bool, usize, usize)>,
    /// The level of the last heading (1: the page's title).
    /// The pieces of the raw HTML block being read, with their offsets in the body.
    html_block: Vec<(String, usize)>,
    notes: Vec<Note>,
    host: Option<&'r dyn Host>,
    /// The page's language (see [`Env::lang`]).
    page_lang: &'r str,
    /// See [`Env::link_lang`].
    link_lang: Option<&'r super::LinkLang<'r>>,
    /// The component block being read: its name and the offset of its fence.
    component: Option<(String, usize)>,
    calls: Vec<Call>,
    has_components: bool,
    /// Source ranges of the text written as text (adjacent ones joined), for [`super::slips`].
    prose: Vec<Range<usize>>,
    /// The text of a component (its end is the component's, not the page's).
    in_component: bool,
    /// The component block just ended runs to the end of the page, never closed: that is its
    /// one error (see [`Writer::fence_slips`]), not also its arguments' (the text after it
    /// read as its own).
    unclosed_component: bool,
    /// The text of a `<summary>` (a `{details}` component's `summary:`): no link may go in it.
    in_summary: bool,
    /// The body as written, for line and column numbers: `body` with pasted bullets made
    /// list markers has the same bytes where it matters but not the same characters.
    source: &'b str,
    /// Per open list item: whether it is marked `dir="auto"` (see [`Writer::block_dir`]).
    item_dirs: Vec<bool>,
}

impl<'b, 'r> Writer<'b, 'r> {
    /// A label markdown writes itself (see [`Host::label`]), in the page's language: the theme's
    /// string `key`, or `english` without a host or string.
    fn label(&self, key: &str, english: &'static str) -> std::borrow::Cow<'static, str> {
        match self.host.and_then(|h| h.label(key, self.page_lang)) {
            Some(s) => std::borrow::Cow::Owned(s),
            None => std::borrow::Cow::Borrowed(english),
        }
    }

    fn new(body: &'b str, resolve: &'r dyn Fn(&str) -> Option<String>) -> Self {
        Writer {
            body,
            resolve,
            out: String::with_capacity(body.len() + body.len() / 2 + 64),
            saved: Vec::new(),
            text: String::with_capacity(body.len()),
            ids: Ids::default(),
            id_list: Vec::new(),
            toc: Vec::new(),
            headings: Vec::new(),
            heading: None,
            table: None,
            code: None,
            has_code: false,
            image_depth: 0,
            image_link: 0,
            image_blocked: false,
            alt: String::new(),
            image: (String::new(), String::new()),
            links: Vec::new(),
            cursor: Cursor::default(),
            footnotes: Vec::new(),
            footnote_index: HashMap::new(),
            footnote_stack: Vec::new(),
            next_footnote_number: 1,
            html_text: HtmlTextState::default(),
            unsafe_html: false,
            sanitizer: Sanitizer::default(),
            alt_scan: super::sanitize::AltScan::default(),
            nested_links: Vec::new(),
            html_block: Vec::new(),
            notes: Vec::new(),
            host: None,
            page_lang: "",
            link_lang: None,
            component: None,
            calls: Vec::new(),
            has_components: false,
            prose: Vec::new(),
            in_component: false,
            unclosed_component: false,
            in_summary: false,
            source: body,
            item_dirs: Vec::new(),
        }
    }

    /// ` dir="auto"` for the block whose start is event `i` (a paragraph, heading, table cell,
    /// list item whose text comes first) when its text starts right to left: its first strong
    /// letter, as a browser finds it (not in an image's alt text), is Hebrew, Arabic…; a reader's
    /// browser then lays it out from the right (a quote in Arabic in an English story had its
    /// full stop on the wrong side). "" for every other block, which is written as before. A
    /// quote or a list item that starts with a paragraph is not marked: its paragraphs are,
    /// each in its own direction. Every block in a marked list item (a list in it) is marked,
    /// as it would take the item's direction otherwise.
    /// Asked for every block: it reads on only to the block's first letter (most often its
    /// first character), cheaper than a pass over every body to tell which have a right-to-left
    /// letter at all (~56 M instructions at 10,000 documents, session 21).
    fn block_dir(&self, events: &[(Event<'b>, Range<usize>)], i: usize) -> &'static str {
        const AUTO: &str = " dir=\"auto\"";
        if self.item_dirs.contains(&true) {
            return AUTO;
        }
        let (mut depth, mut image) = (0usize, 0usize);
        for (e, _) in events.get(i + 1..).unwrap_or_default() {
            let strong = match e {
                Event::Start(Tag::Image { .. }) => {
                    image += 1;
                    None
                }
                Event::End(TagEnd::Image) => {
                    image = image.saturating_sub(1);
                    None
                }
                Event::Start(_) => {
                    depth += 1;
                    None
                }
                Event::End(_) if depth == 0 => break,
                Event::End(_) => {
                    depth -= 1;
                    None
                }
                Event::Text(t) | Event::Code(t) if image == 0 => crate::bidi::first_strong(t),
                // Raw HTML that sets a direction itself (`<span dir="rtl">`, `<bdi>`): the
                // editor's markup decides, as a browser's `dir="auto"` looks past it.
                Event::InlineHtml(h) | Event::Html(h)
                    if h.contains("dir=") || h.contains("<bdi") =>
                {
                    return "";
                }
                _ => None,
            };
            match strong {
                Some(true) => return AUTO,
                Some(false) => return "",
                None => {}
            }
        }
        ""
    }

    fn push_buffer(&mut self) {
        let outer = std::mem::take(&mut self.out);
        self.saved.push(outer);
    }

    fn pop_buffer(&mut self) -> String {
        let outer = self.saved.pop().unwrap_or_default();
        std::mem::replace(&mut self.out, outer)
    }

    /// Separate blocks in the plain text so words never run together.
    fn text_break(&mut self, sep: char) {
        if !self.text.is_empty() && !self.text.ends_with(char::is_whitespace) {
            self.text.push(sep);
        }
    }

    fn event(&mut self, events: &[(Event<'b>, Range<usize>)], i: usize) {
        let (event, range) = &events[i];
        if matches!(event, Event::End(TagEnd::CodeBlock)) {
            self.fence_slips(range.clone());
        }
        if let Some(code) = &mut self.code {
            match event {
                Event::Text(t) => {
                    code.code.push_str(t);
                    return;
                }
                Event::End(TagEnd::CodeBlock) => {}
                _ => return,
            }
        }
        if self.image_depth > 0 {
            self.image_content(event, range.start);
            return;
        }
        if !self.unsafe_html
            && self.sanitizer.skipping()
            && !matches!(
                event,
                Event::Html(_) | Event::InlineHtml(_) | Event::Start(_) | Event::End(_)
            )
        {
            // Text inside a removed element (`<script>…</script>` within a paragraph).
            return;
        }
        let balance = !self.unsafe_html;
        if balance {
            self.before_event(event);
        }
        match event {
            Event::Start(tag) => self.start(tag, events, i, range.start),
            Event::End(tag) => self.end(*tag),
            Event::Text(t) => {
                match self.prose.last_mut() {
                    Some(last) if last.end == range.start => last.end = range.end,
                    _ => self.prose.push(range.clone()),
                }
                if super::sanitize::has_bad_char(t) {
                    // QA Q104: PowerPoint's and Word's manual line break (U+000B) and other
                    // control characters pasted into the text.
                    if let Some((k, c)) = self.body.get(range.clone()).and_then(|s| {
                        s.char_indices()
                            .find(|&(_, c)| super::sanitize::bad_char(c))
                    }) {
                        let (line, col) = self.locate(range.start + k);
                        self.warn_at(
                            line,
                            col,
                            format!(
                                "an invisible control character (U+{:04X}{}) is in the text: it is shown as �",
                                c as u32,
                                if c == '\u{b}' { ", a line break from PowerPoint or Word" } else { "" }
                            ),
                            "delete it and type a space (or press Enter for a new line)",
                        );
                    }
                    // `&#128;` in markdown text: a code point no page may hold (vnu).
                    let t = t.replace(super::sanitize::bad_char, "\u{fffd}");
                    escape_text(&mut self.out, &t);
                    self.text.push_str(&t);
                } else {
                    escape_text(&mut self.out, t);
                    self.text.push_str(t);
                }
            }
            Event::Code(t) => {
                self.out.push_str("<code>");
                escape_text(&mut self.out, t);
                self.out.push_str("</code>");
                self.text.push_str(t);
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => {
                escape_text(&mut self.out, t);
                self.text.push_str(t);
            }
            Event::Html(h) => self.html_block.push((h.to_string(), range.start)),
            Event::InlineHtml(h) => {
                if self.unsafe_html {
                    self.out.push_str(h);
                    self.unsafe_alt(h, &[(0, range.start)]);
                } else {
                    // Into the output itself: a `<time>` that is no date has its start tag,
                    // written before, taken out at its end.
                    let mut removed = Vec::new();
                    self.sanitizer
                        .clean(h, range.start, &mut self.out, &mut removed);
                    self.removed(removed);
                }
                if h.len() > 3 && h.as_bytes()[1..3].eq_ignore_ascii_case(b"br") {
                    self.text_break(' ');
                }
            }
            Event::FootnoteReference(label) => self.footnote_reference(label),
            Event::SoftBreak => {
                self.out.push('\n');
                self.text_break(' ');
            }
            Event::HardBreak => {
                self.out.push_str("<br>\n");
                self.text_break('\n');
            }
            Event::Rule => {
                self.out.push_str("<hr>\n");
                self.text_break('\n');
            }
            Event::TaskListMarker(done) => {
                let label = if *done {
                    self.out
                        .push_str("<input type=\"checkbox\" checked disabled aria-label=\"");
                    self.label("md_task_done", "Done")
                } else {
                    self.out
                        .push_str("<input type=\"checkbox\" disabled aria-label=\"");
                    self.label("md_task_not_done", "Not done")
                };
                escape_attr(&mut self.out, &label);
                self.out.push_str("\"> ");
            }
        }
        if balance && let Event::Start(tag) = event {
            self.after_start(tag);
        }
    }

    /// Raw HTML's structure (QA Q38), before a markdown event: content reaching a `<details>`
    /// before its `<summary>` is an error, and the raw elements left open in a markdown
    /// container that ends are closed before the container's end tag.
    fn before_event(&mut self, event: &Event<'b>) {
        let mut removed = Vec::new();
        match event {
            Event::Start(Tag::HtmlBlock)
            | Event::End(TagEnd::HtmlBlock)
            | Event::Html(_)
            | Event::InlineHtml(_)
            | Event::SoftBreak => {}
            Event::Text(t) if t.trim().is_empty() => {}
            Event::Start(
                Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::BlockQuote(_)
                | Tag::CodeBlock(_)
                | Tag::List(_)
                | Tag::Table(_)
                | Tag::DefinitionList
                | Tag::FootnoteDefinition(_),
            )
            | Event::Rule => {
                let controls = !matches!(
                    event,
                    Event::Rule | Event::Start(Tag::Paragraph | Tag::Heading { .. })
                );
                self.sanitizer.content(&mut self.out, &mut removed);
                self.sanitizer
                    .block_starts(controls, &mut self.out, &mut removed);
            }
            Event::End(tag) => {
                if container(tag).is_some() {
                    self.sanitizer.leave(&mut self.out, &mut removed);
                }
            }
            _ => {
                self.sanitizer.content(&mut self.out, &mut removed);
                if matches!(
                    event,
                    Event::Text(_)
                        | Event::Code(_)
                        | Event::InlineMath(_)
                        | Event::DisplayMath(_)
                        | Event::FootnoteReference(_)
                        | Event::Start(Tag::Image { .. })
                ) {
                    // Words or a picture a reader perceives: raw links around them have a name.
                    self.sanitizer.name_links();
                }
            }
        }
        // A link, a scrolling table or a component (a `<details>`, a video's player, a
        // download) can be reached with the keyboard: raw elements around it may not hide it
        // from screen readers (`aria-hidden="true"`).
        let focusable = match event {
            Event::Start(Tag::Link { .. }) => !self.in_summary && !self.sanitizer.in_link(),
            Event::FootnoteReference(_) | Event::Start(Tag::Table(_)) => true,
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                self.host.is_some() && info.trim_start().starts_with('{')
            }
            _ => false,
        };
        if focusable && !self.unsafe_html {
            self.sanitizer.focusable(&mut self.out, &mut removed);
        }
        if !removed.is_empty() {
            self.removed(removed);
        }
    }

    /// After a markdown start tag: raw elements opened from now on belong to it.
    fn after_start(&mut self, tag: &Tag<'b>) {
        if let Some((what, phrasing)) = container(&tag.to_end()) {
            self.sanitizer
                .enter(what, phrasing, matches!(tag, Tag::Link { .. }));
        }
    }

    /// Inside an image everything is alt text; nested links and images are still recorded.
    fn image_content(&mut self, event: &Event<'b>, start: usize) {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                self.image_depth += 1;
                self.link(dest_url, true, start);
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                self.link(dest_url, false, start);
            }
            Event::End(TagEnd::Image) => {
                self.image_depth -= 1;
                if self.image_depth == 0 {
                    let (src, title) = std::mem::take(&mut self.image);
                    if std::mem::take(&mut self.image_blocked) {
                        // `![x](data:…)`: only the alt text stays.
                        let alt = std::mem::take(&mut self.alt);
                        if let Some(l) = self.links.get_mut(self.image_link) {
                            // The alt check looks at the alt given, not at the URL removed.
                            l.alt = alt.clone();
                        }
                        escape_text(&mut self.out, &alt);
                        self.text.push_str(&alt);
                        return;
                    }
                    self.out.push_str("<img src=\"");
                    self.out.push_str(&src);
                    self.out.push_str("\" alt=\"");
                    escape_attr(&mut self.out, &self.alt);
                    self.out.push('"');
                    if !title.is_empty() {
                        self.out.push_str(" title=\"");
                        escape_attr(&mut self.out, &title);
                        self.out.push('"');
                    }
                    self.out.push('>');
                    let alt = std::mem::take(&mut self.alt);
                    if let Some(l) = self.links.get_mut(self.image_link) {
                        l.alt = alt.clone();
                    }
                    self.text_break(' ');
                    self.text.push_str(&alt);
                    self.text_break(' ');
                }
            }
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                self.alt.push_str(t)
            }
            Event::SoftBreak | Event::HardBreak => self.alt.push(' '),
            _ => {}
        }
    }

    fn start(
        &mut self,
        tag: &Tag<'b>,
        events: &[(Event<'b>, Range<usize>)],
        i: usize,
        start: usize,
    ) {
        match tag {
            Tag::Paragraph => {
                self.text_break('\n');
                let dir = self.block_dir(events, i);
                self.out.push_str("<p");
                self.out.push_str(dir);
                self.out.push('>');
            }
            Tag::Heading {
                level,
                id,
                classes,
                attrs,
            } => {
                self.text_break('\n');
                self.push_buffer();
                self.heading = Some(HeadingState {
                    level: *level as u8,
                    at: start,
                    explicit: id
                        .as_ref()
                        .filter(|id| !id.is_empty())
                        .map(|id| id.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                    attrs: attrs
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.as_ref().map(|v| v.to_string())))
                        .collect(),
                    text_start: self.text.len(),
                });
            }
            Tag::BlockQuote(Some(kind)) => {
                self.text_break('\n');
                let (class, english) = alert(*kind);
                if matches!(
                    events.get(i + 1),
                    Some((Event::End(TagEnd::BlockQuote(_)), _))
                ) {
                    // An alert with nothing in it: readers would see a lone title.
                    let marker = class.to_ascii_uppercase();
                    let (line, col) = self.locate(start);
                    self.error_at(
                        line,
                        col,
                        format!("the `[!{marker}]` alert is empty: readers would see only its title"),
                        format!(
                            "write the alert's text on the lines after `> [!{marker}]`, each starting with `> ` and with no empty line between, e.g. `> The huddle moves to Tuesday.` on the next line"
                        ),
                    );
                }
                let title = self.host.and_then(|h| h.alert_title(class, self.page_lang));
                let label = title.as_deref().unwrap_or(english);
                let mut shown = String::with_capacity(label.len());
                escape_attr(&mut shown, label);
                let _ = write!(
                    self.out,
                    "<aside class=\"callout callout-{class}\" aria-label=\"{shown}\">\n<p class=\"callout-title\">{shown}</p>\n"
                );
                self.text.push_str(label);
                self.text_break('\n');
            }
            Tag::BlockQuote(None) => {
                self.text_break('\n');
                self.out.push_str("<blockquote>\n");
            }
            Tag::CodeBlock(CodeBlockKind::Fenced(info))
                if self.host.is_some() && comp::name_of(info).is_some() =>
            {
                self.text_break('\n');
                self.has_components = true;
                let name = comp::name_of(info).unwrap_or_default().to_string();
                self.component = Some((name, start));
                self.code = Some(CodeState {
                    lang: String::new(),
                    code: String::new(),
                });
            }
            Tag::CodeBlock(kind) => {
                self.text_break('\n');
                self.has_code = true;
                if let CodeBlockKind::Fenced(info) = kind {
                    self.half_component_fence(info, start);
                }
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split([' ', '\t', ',', '{'])
                        .next()
                        .unwrap_or("")
                        .to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some(CodeState {
                    lang,
                    code: String::new(),
                });
            }
            Tag::HtmlBlock => {
                self.text_break('\n');
                self.html_text = HtmlTextState::default();
            }
            Tag::List(Some(1)) => self.out.push_str("<ol>\n"),
            Tag::List(Some(n)) => {
                let _ = writeln!(self.out, "<ol start=\"{n}\">");
            }
            Tag::List(None) => self.out.push_str("<ul>\n"),
            Tag::Item => {
                self.text_break('\n');
                let task = matches!(events.get(i + 1), Some((Event::TaskListMarker(_), _)))
                    || (matches!(events.get(i + 1), Some((Event::Start(Tag::Paragraph), _)))
                        && matches!(events.get(i + 2), Some((Event::TaskListMarker(_), _))));
                // An item whose first event is a block (a loose item's paragraph): that block
                // is marked, not the item.
                let first = events[i + 1..]
                    .iter()
                    .find(|(e, _)| !matches!(e, Event::TaskListMarker(_)));
                let text_first = !matches!(first, Some((Event::Start(t), _)) if block(t));
                let dir = match text_first || self.item_dirs.contains(&true) {
                    true => self.block_dir(events, i),
                    false => "",
                };
                self.item_dirs.push(!dir.is_empty());
                self.out
                    .push_str(if task { "<li class=\"task\"" } else { "<li" });
                self.out.push_str(dir);
                self.out.push('>');
            }
            Tag::FootnoteDefinition(label) => {
                self.text_break('\n');
                let index = self.footnote(label);
                self.footnote_stack.push(index);
                self.push_buffer();
            }
            Tag::DefinitionList => self.out.push_str("<dl>\n"),
            Tag::DefinitionListTitle => {
                self.text_break('\n');
                let dir = self.block_dir(events, i);
                self.out.push_str("<dt");
                self.out.push_str(dir);
                self.out.push('>');
            }
            Tag::DefinitionListDefinition => {
                self.text_break('\n');
                let dir = self.block_dir(events, i);
                self.out.push_str("<dd");
                self.out.push_str(dir);
                self.out.push('>');
            }
            Tag::Table(align) => {
                self.text_break('\n');
                self.push_buffer();
                self.table = Some(TableState {
                    align: align.clone(),
                    ..TableState::default()
                });
                self.out.push_str("<table>\n");
            }
            Tag::TableHead => {
                if let Some(t) = &mut self.table {
                    t.in_head = true;
                    t.cell = 0;
                }
                self.out.push_str("<thead>\n<tr>\n");
            }
            Tag::TableRow => {
                if let Some(t) = &mut self.table {
                    t.cell = 0;
                    t.body_rows += 1;
                    if t.body_rows == 1 {
                        self.out.push_str("<tbody>\n");
                    }
                }
                self.out.push_str("<tr>\n");
            }
            Tag::TableCell => {
                self.text_break(' ');
                let (head, align) = match &mut self.table {
                    Some(t) => {
                        if t.in_head && t.cell == 0 {
                            t.first_cell_start = self.text.len();
                        }
                        (
                            t.in_head,
                            t.align.get(t.cell).copied().unwrap_or(Alignment::None),
                        )
                    }
                    None => (false, Alignment::None),
                };
                self.out.push_str(if head { "<th" } else { "<td" });
                let dir = self.block_dir(events, i);
                self.out.push_str(dir);
                self.out.push_str(match align {
                    Alignment::None => ">",
                    Alignment::Left => " style=\"text-align: left\">",
                    Alignment::Center => " style=\"text-align: center\">",
                    Alignment::Right => " style=\"text-align: right\">",
                });
            }
            Tag::Emphasis => self.out.push_str("<em>"),
            Tag::Strong => self.out.push_str("<strong>"),
            Tag::Strikethrough => self.out.push_str("<del>"),
            Tag::Superscript => self.out.push_str("<sup>"),
            Tag::Subscript => self.out.push_str("<sub>"),
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => {
                let mark = self.out.len();
                let links_before = self.links.len();
                let nested = !self.unsafe_html && (self.sanitizer.in_link() || self.in_summary);
                // `<pat@example.org>` links to `mailto:pat@example.org`, and is checked as that:
                // as `pat@example.org` it took the error of a `[me](pat@example.org)` in the
                // same file (hostile author s22).
                let mailto;
                let dest_url: &str = if *link_type == LinkType::Email
                    && !dest_url.to_ascii_lowercase().starts_with("mailto:")
                {
                    mailto = format!("mailto:{dest_url}");
                    &mailto
                } else {
                    dest_url
                };
                if self.blocked_url(dest_url, false, start) {
                    // `[x](javascript:…)`: the text stays, the link goes.
                    self.out.push_str("<a");
                } else {
                    let href = self.link(dest_url, false, start);
                    self.out.push_str("<a href=\"");
                    self.out.push_str(&href);
                    self.out.push('"');
                    // A link to a page in another language (a translation's link to a document
                    // not yet translated, or an address of another language's page) says so.
                    let target = self.links.last().and_then(|l| match &l.kind {
                        LinkKind::Document {
                            path, url: Some(_), ..
                        } => Some(path.as_str()),
                        LinkKind::Other if is_page_address(&l.dest) => Some(l.dest.as_str()),
                        _ => None,
                    });
                    if let (Some(link_lang), Some(target)) = (self.link_lang, target)
                        && let Some(lang) = link_lang(target)
                    {
                        self.out.push_str(" hreflang=\"");
                        escape_attr(&mut self.out, &lang);
                        self.out.push('"');
                    }
                }
                if !title.is_empty() {
                    self.out.push_str(" title=\"");
                    escape_attr(&mut self.out, title);
                    self.out.push('"');
                }
                self.out.push('>');
                // A link to a page not published yet or any more: its text only.
                let text_only = matches!(
                    self.links.last().map(|l| &l.kind),
                    Some(LinkKind::Document { url: Some(u), .. }) if u == super::TEXT_ONLY
                ) && self.links.len() > links_before;
                if text_only && !nested {
                    self.out.truncate(mark);
                }
                if nested {
                    // Inside a raw `<a>`: a link in a link is invalid HTML; the text stays.
                    self.out.truncate(mark);
                    self.removed(vec![if self.in_summary {
                        Removal::repaired(
                            start,
                            "a link in a `summary:`: kept its text only (a `<summary>` cannot hold a link)".into(),
                            "the summary is the line readers click to open the section, so it cannot hold a link: put the link in the section's text, below `summary:`".into(),
                        )
                    } else {
                        Removal::repaired(
                            start,
                            "a markdown link inside a raw `<a>`: kept its text only".into(),
                            "a link cannot hold another link: close the `<a>` first, or remove one of them".into(),
                        )
                    }]);
                }
                self.nested_links
                    .push((nested || text_only, self.text.len(), start));
            }
            Tag::Image {
                dest_url, title, ..
            } => {
                self.image_blocked = self.blocked_url(dest_url, true, start);
                let src = self.link(dest_url, true, start);
                self.image_link = self.links.len() - 1;
                self.image = (src, title.to_string());
                self.alt.clear();
                self.image_depth = 1;
            }
            Tag::MetadataBlock(_) => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                // An element dropped with its content ends with its paragraph.
                self.sanitizer.end_skipping();
                self.out.push_str("</p>\n");
                self.text_break('\n');
            }
            TagEnd::Heading(_) => self.end_heading(),
            TagEnd::BlockQuote(kind) => {
                self.out.push_str(if kind.is_some() {
                    "</aside>\n"
                } else {
                    "</blockquote>\n"
                });
                self.text_break('\n');
            }
            TagEnd::CodeBlock => self.end_code(),
            TagEnd::HtmlBlock => {
                self.end_html_block();
                self.text_break('\n');
            }
            TagEnd::List(true) => self.out.push_str("</ol>\n"),
            TagEnd::List(false) => self.out.push_str("</ul>\n"),
            TagEnd::Item => {
                self.item_dirs.pop();
                self.out.push_str("</li>\n");
                self.text_break('\n');
            }
            TagEnd::FootnoteDefinition => {
                let html = self.pop_buffer();
                if let Some(index) = self.footnote_stack.pop() {
                    let note = &mut self.footnotes[index];
                    // A repeated definition of the same label: the first one wins.
                    if note.html.is_none() {
                        note.html = Some(html);
                    }
                }
                self.text_break('\n');
            }
            TagEnd::DefinitionList => self.out.push_str("</dl>\n"),
            TagEnd::DefinitionListTitle => self.out.push_str("</dt>\n"),
            TagEnd::DefinitionListDefinition => self.out.push_str("</dd>\n"),
            TagEnd::Table => self.end_table(),
            TagEnd::TableHead => {
                if let Some(t) = &mut self.table {
                    t.in_head = false;
                }
                self.out.push_str("</tr>\n</thead>\n");
                self.text_break('\n');
            }
            TagEnd::TableRow => {
                self.out.push_str("</tr>\n");
                self.text_break('\n');
            }
            TagEnd::TableCell => {
                let head = match &mut self.table {
                    Some(t) => {
                        if t.in_head && t.cell == 0 {
                            t.label = collapse_whitespace(
                                self.text.get(t.first_cell_start..).unwrap_or_default(),
                            );
                        }
                        t.cell += 1;
                        t.in_head
                    }
                    None => false,
                };
                self.out.push_str(if head { "</th>\n" } else { "</td>\n" });
            }
            TagEnd::Emphasis => self.out.push_str("</em>"),
            TagEnd::Strong => self.out.push_str("</strong>"),
            TagEnd::Strikethrough => self.out.push_str("</del>"),
            TagEnd::Superscript => self.out.push_str("</sup>"),
            TagEnd::Subscript => self.out.push_str("</sub>"),
            TagEnd::Link => {
                let (nested, text_at, at) = self.nested_links.pop().unwrap_or((false, 0, 0));
                if !nested {
                    self.out.push_str("</a>");
                }
                if self
                    .text
                    .get(text_at..)
                    .is_some_and(|t| t.trim().is_empty())
                {
                    // QA Q25: a link with no text is announced as its address, or not at all;
                    // an error (session 19): lmp cannot name it without inventing words.
                    let (line, col) = self.locate(at);
                    self.error_at(
                        line,
                        col,
                        "this link has no text a reader can click: a screen reader would say only \"link\"",
                        "write the words to click between the brackets, `[the huddle guide](../guides/run-a-ubt-huddle.md)`, or describe its picture (`[![The huddle guide](huddle.png)](../guides/run-a-ubt-huddle.md)`), or remove the link",
                    );
                }
            }
            TagEnd::Image | TagEnd::MetadataBlock(_) => {}
        }
    }

    /// QA Q16: ```` ```{figure ```` (or ```` ```figure} ````) names a component but misses a
    /// brace, so it would silently be shown as a code block: an error at the fence.
    fn half_component_fence(&mut self, info: &str, start: usize) {
        let Some(host) = self.host else { return };
        let t = info.trim();
        let word = t
            .trim_start_matches('{')
            .trim_end_matches('}')
            .split_whitespace()
            .next()
            .unwrap_or("");
        if t.starts_with('{') == t.ends_with('}') || host.spec(word).is_none() {
            return;
        }
        let (line, col) = self.locate(start);
        self.error_at(
            line,
            col,
            format!(
                "`{t}` misses a brace: this block would be shown as code, not as the `{word}` component"
            ),
            format!("write ```` ```{{{word}}} ```` on the fence line"),
        );
    }

    /// QA Q105: a fenced block that runs to the end of the page because it is never closed
    /// (most often: a code block inside a component, whose closing fence closed the component,
    /// so the component's own closing fence opened this one); and a component whose text holds
    /// a code block opened with as many backticks as the component (it ends at that code).
    fn fence_slips(&mut self, range: Range<usize>) {
        let Some(src) = self.body.get(range.clone()) else {
            return;
        };
        let first = src.lines().next().unwrap_or("").trim_start();
        let ch = match first.chars().next() {
            Some(c @ ('`' | '~')) => c,
            _ => return,
        };
        let n = first.chars().take_while(|&c| c == ch).count();
        if n < 3 {
            return;
        }
        let fence: String = std::iter::repeat_n(ch, n).collect();
        // QA Q118: a fence inside backticks reads as five or six of them: say it in words.
        let kind = if ch == '`' { "backticks" } else { "tildes" };
        let count = |n: usize| match n {
            3 => "three".to_string(),
            4 => "four".to_string(),
            5 => "five".to_string(),
            6 => "six".to_string(),
            n => n.to_string(),
        };
        let (said, more) = (
            format!("{} {kind}", count(n)),
            format!("{} {kind}", count(n + 1)),
        );
        let info = first[n..].trim();
        let closed = src.lines().count() > 1
            && src.lines().last().is_some_and(|l| {
                let t = l.trim();
                t.len() >= n && t.chars().all(|c| c == ch)
            });
        let at_end = !self.in_component && self.body[range.end..].trim().is_empty();
        if !closed && at_end && comp::name_of(info).is_some() {
            // QA s15: a component never closed takes the whole rest of the page inside it (a
            // `{details}` folds it away from readers): an error, not a page published so.
            let (line, col) = self.locate(range.start);
            self.error_at(
                line,
                col,
                format!("the component `{info}` opened here is never closed, so everything after it, to the end of the page, would be inside it"),
                format!("add a line of {said} where the component ends (the same {said} that open it)"),
            );
            self.unclosed_component = true;
            return;
        }
        if !closed && at_end {
            let (line, col) = self.locate(range.start);
            self.warn_at(
                line,
                col,
                format!("the block opened here with {said} is never closed, so the rest of the page is shown as code"),
                format!("close it with a line of {said}; if it is the closing fence of a component, a code block inside the component closed the component first: open the component with {more} instead and close it with {more}"),
            );
            return;
        }
        // A component holding a code block opened with the same fence: that code's closing
        // fence is the component's end.
        if comp::name_of(info).is_some()
            && let Some((k, _)) = src.lines().enumerate().skip(1).find(|(_, l)| {
                let t = l.trim_start();
                t.starts_with(&fence) && !t[n..].starts_with(ch) && !t[n..].trim().is_empty()
            })
        {
            let (line, col) = self.locate(range.start);
            self.warn_at(
                line + k,
                col,
                format!(
                    "this code block is inside `{info}`, opened with the same {said}: its closing {said} end the component there"
                ),
                format!(
                    "open the component with {more} instead ({more} then `{info}`) and close it with {more}, so a code block fits inside"
                ),
            );
        }
    }

    /// A component block: check it against its spec, render its body and then the component.
    fn end_component(&mut self, name: &str, start: usize, block: &str) {
        if std::mem::take(&mut self.unclosed_component) {
            return;
        }
        let Some(host) = self.host else { return };
        let (fence_line, fence_col) = self.locate(start);
        // The column of the `{` on the fence line, for errors about the whole block.
        let brace_col = self
            .body
            .get(start..)
            .and_then(|l| l.find('{'))
            .map_or(fence_col, |b| fence_col + b);
        let err = |line: usize, col: usize, message: String, help: String| Note {
            line,
            col,
            error: true,
            message,
            help,
            caused: false,
        };
        let Some(spec) = host.spec(name) else {
            let (message, help) = comp::unknown(name, host);
            self.notes.push(err(fence_line, brace_col, message, help));
            return;
        };
        // The block's lines lose the fence's indentation (in a list item): add it back.
        let indent = fence_col - 1;
        let parsed = comp::parse(block);
        let (args, complaints) = comp::check(spec, &parsed);
        if !complaints.is_empty() {
            for (line, col, message, help) in complaints {
                self.notes.push(match line {
                    Some(n) => err(fence_line + 1 + n, col + indent, message, help),
                    None => err(fence_line, brace_col, message, help),
                });
            }
            return;
        }
        // QA Q71: arguments declared `"markdown"` (a caption, a credit, a summary) are inline
        // markdown, rendered here so that their links are resolved and checked at their place.
        let mut args = args;
        for a in spec
            .args
            .iter()
            .filter(|a| a.kind.as_deref() == Some("markdown"))
        {
            let Some((_, value, n, _)) = parsed.args.iter().find(|(k, ..)| *k == a.name) else {
                continue;
            };
            let vcol = value_col(block, *n, value);
            let env = Env {
                resolve: self.resolve,
                unsafe_html: self.unsafe_html,
                components: None,
                lang: self.page_lang,
                link_lang: self.link_lang,
            };
            let ids = std::mem::take(&mut self.ids);
            // The theme's `{details}` writes its `summary:` in a `<summary>`.
            let summary = spec.name == "details" && a.name == "summary";
            let (inner, ids) = render_inner(value, &env, ids, false, 6, summary);
            self.ids = ids;
            let line = fence_line + 1 + n;
            self.links.extend(inner.links.into_iter().map(|mut l| {
                l.line = line;
                l.col += vcol + indent;
                l
            }));
            self.notes.extend(inner.notes.into_iter().map(|mut n| {
                n.line = line;
                n.col += vcol + indent;
                n
            }));
            let html = inner.html.trim_end();
            if let Some(h) =
                unwrap_paragraph(html).filter(|h| !h.contains("<p>") && !h.contains("<p dir="))
            {
                args.insert(
                    comp::html_key(&a.name),
                    serde_json::Value::String(h.to_string()),
                );
            }
        }
        // Hostile author s23: a link in an argument shown as plain text (`alt: "[map](x.md)"`,
        // a download's `label`, a video's `title`) was published as written, brackets and all,
        // without a word: an editor expects a link there to work.
        for a in spec.args.iter().filter(|a| a.kind.is_none()) {
            let Some((_, value, n, _)) = parsed.args.iter().find(|(k, ..)| *k == a.name) else {
                continue;
            };
            let Some(off) = comp::link_in_plain_text(value) else {
                continue;
            };
            let col = value_col(block, *n, value) + value[..off].chars().count() + 1 + indent;
            let linked: Vec<String> = spec
                .args
                .iter()
                .filter(|b| b.kind.as_deref() == Some("markdown"))
                .map(|b| format!("`{}`", b.name))
                .collect();
            let elsewhere = if linked.is_empty() {
                "a link goes in the text of the page, before or after the component".to_string()
            } else {
                format!(
                    "a link goes in {}, which show{} links",
                    linked.join(" or "),
                    if linked.len() == 1 { "s" } else { "" }
                )
            };
            self.warn_at(
                fence_line + 1 + n,
                col,
                format!(
                    "`{}` of `{}` is plain text: the link here is not a link, it is shown as it is written",
                    a.name, spec.name
                ),
                format!(
                    "write the words only (`{}: {}`); {elsewhere}",
                    a.name,
                    comp::without_links(value)
                ),
            );
        }
        let mut body_html = String::new();
        if let Some((text, first)) = &parsed.body {
            let env = Env {
                resolve: self.resolve,
                unsafe_html: self.unsafe_html,
                components: self.host,
                lang: self.page_lang,
                link_lang: self.link_lang,
            };
            let ids = std::mem::take(&mut self.ids);
            let level = self.sanitizer.last_level;
            let (inner, ids) = render_inner(text, &env, ids, false, level, false);
            self.ids = ids;
            let shift = fence_line + *first;
            self.links.extend(inner.links.into_iter().map(|mut l| {
                l.line += shift;
                l.col += indent;
                l
            }));
            self.notes.extend(inner.notes.into_iter().map(|mut n| {
                n.line += shift;
                n.col += indent;
                n
            }));
            self.id_list.extend(inner.ids);
            self.calls.extend(inner.calls);
            self.has_code |= inner.has_code;
            body_html = inner.html;
        }
        let output = host.render(name, &args, &body_html, self.page_lang);
        match &output {
            Ok(html) => {
                self.out.push_str(html);
                if !html.ends_with('\n') {
                    self.out.push('\n');
                }
                let mut text = HtmlTextState::default();
                text.feed(html, &mut self.text);
                self.text_break('\n');
            }
            Err(p) => {
                let at = p
                    .arg
                    .as_ref()
                    .and_then(|a| parsed.args.iter().position(|(k, ..)| k == a))
                    // At the value, which is what is wrong (a file that does not exist).
                    .map(|i| {
                        let (_, _, n, col) = parsed.args[i];
                        let at = parsed.value_cols.get(i).copied().unwrap_or(col);
                        (fence_line + 1 + n, at + indent)
                    })
                    .unwrap_or((fence_line, brace_col));
                let mut note = err(at.0, at.1, p.message.clone(), p.help.clone());
                note.caused = p.caused;
                self.notes.push(note);
            }
        }
        self.calls.push(Call {
            name: name.to_string(),
            args,
            body: body_html,
            lang: self.page_lang.to_string(),
            output,
        });
    }

    /// Sanitise the raw HTML block just read (the whole block at once, so a tag may span lines).
    /// With `unsafe_html`, the block is copied as written; only its `<img>` tags without `alt`
    /// are reported (QA Q121).
    fn end_html_block(&mut self) {
        let pieces = std::mem::take(&mut self.html_block);
        if pieces.is_empty() {
            return;
        }
        let mut block = String::new();
        let mut starts = Vec::with_capacity(pieces.len());
        for (piece, at) in &pieces {
            starts.push((block.len(), *at));
            block.push_str(piece);
        }
        if self.unsafe_html {
            self.out.push_str(&block);
            self.html_text.feed(&block, &mut self.text);
            self.unsafe_alt(&block, &starts);
            return;
        }
        let mut removed = Vec::new();
        // Into the output itself, as for inline HTML; what it wrote starts where the output
        // ended, less what the sanitiser took out of what was written before.
        let (before, cut) = (self.out.len(), self.sanitizer.cut);
        self.sanitizer
            .clean_mapped(&block, &starts, &mut self.out, &mut removed);
        self.sanitizer.end_skipping();
        let from = before.saturating_sub(self.sanitizer.cut - cut);
        self.html_text
            .feed(self.out.get(from..).unwrap_or_default(), &mut self.text);
        self.removed(removed);
    }

    /// Whether a markdown link or image destination is removed by the sanitiser (a
    /// `javascript:`, `data:` or other scheme raw HTML may not use either), reported as a warning.
    fn blocked_url(&mut self, dest: &str, is_image: bool, start: usize) -> bool {
        if self.unsafe_html || super::sanitize::safe_url(dest) {
            return false;
        }
        let scheme = super::sanitize::scheme_of(dest);
        let (line, col) = self.locate(start);
        let lower = dest
            .trim_start()
            .get(..30)
            .unwrap_or(dest)
            .to_ascii_lowercase();
        if is_image
            && lower.starts_with("data:image/")
            && !lower.starts_with("data:image/svg")
            && dest.contains(";base64,")
        {
            // A picture pasted into the text (Google Docs' markdown export does this): QA Q57.
            self.error_at(
                line,
                col,
                format!(
                    "this picture is pasted into the text (a `data:` URL of {} kB), not linked to a file",
                    dest.len().div_ceil(1000)
                ),
                "save the picture as a file under site/static/images/ and link it: `![What it shows](/images/team.jpg)` (Google Docs' markdown export pastes pictures this way)",
            );
            return true;
        }
        self.warn_at(
            line,
            col,
            format!(
                "removed the `{scheme}:` URL of a markdown {}",
                if is_image { "image" } else { "link" }
            ),
            "links may use http, https, mailto and tel addresses, or paths of this site; `markdown: {unsafe_html: true}` in config.yaml allows any",
        );
        true
    }

    /// QA Q121: raw HTML copied as written (`unsafe_html`) still has its `<img>` tags without
    /// `alt` reported, as the sanitiser reports them. `starts` maps offsets in `html` to the
    /// body, as for [`Sanitizer::clean_mapped`].
    fn unsafe_alt(&mut self, html: &str, starts: &[(usize, usize)]) {
        let at_of = |i: usize| super::sanitize::body_offset(starts, i);
        let missing = self.alt_scan.missing_alt(html);
        let removed = missing
            .into_iter()
            .map(|i| Removal {
                offset: at_of(i),
                what: "<img> has no `alt` attribute".into(),
                error: true,
                help: None,
            })
            .collect();
        self.removed(removed);
    }

    /// Report what the sanitiser removed.
    fn removed(&mut self, removed: Vec<Removal>) {
        for r in removed {
            let (line, col) = self.locate(r.offset);
            if let Some(help) = r.help {
                self.note_at(r.error, line, col, r.what, help);
                continue;
            }
            if r.error {
                self.error_at(
                    line,
                    col,
                    "image in raw HTML without alt text",
                    "add alt=\"…\" describing the image (alt=\"\" if it is only decoration)",
                );
            } else {
                self.warn_at(
                    line,
                    col,
                    format!("raw HTML: removed the {}", r.what),
                    "raw HTML in markdown is limited to safe elements and attributes (see docs/authoring.md); use a component for videos and embeds, or set `markdown: {unsafe_html: true}` in config.yaml",
                );
            }
        }
    }

    /// Heading levels a screen reader can follow (QA Q25): the page's title is its only level
    /// 1 heading, and a level is never skipped (`##` then `####`). Returns the level written: a
    /// skipped level is written one below the heading before it (the validator rejects a
    /// skip, and readers moving by levels would miss the heading), with the warning saying so.
    fn heading_level(&mut self, level: u8, at: usize) -> u8 {
        let prev = self.sanitizer.last_level;
        let written = if level > prev + 1 { prev + 1 } else { level };
        self.sanitizer.last_level = written;
        let hashes = |n: u8| "#".repeat(usize::from(n));
        let (message, help) = if level == 1 {
            (
                "a `#` heading in the text: the page's title is its only level-1 heading"
                    .to_string(),
                "start the sections at `##` (and `###` inside them)".to_string(),
            )
        } else if level > prev + 1 {
            (
                format!(
                    "the heading level jumps from `{}` to `{}`: written as a level-{written} heading (`{}`)",
                    hashes(prev.max(1)),
                    hashes(level),
                    hashes(written)
                ),
                format!(
                    "use `{}` here: screen reader users move through a page by its heading levels",
                    hashes(prev + 1)
                ),
            )
        } else {
            return written;
        };
        let (line, col) = self.locate(at);
        self.warn_at(line, col, message, help);
        written
    }

    fn end_heading(&mut self) {
        let inner = self.pop_buffer();
        let Some(h) = self.heading.take() else {
            self.out.push_str(&inner);
            return;
        };
        let title = collapse_whitespace(self.text.get(h.text_start..).unwrap_or_default());
        // A heading that starts right to left (see `block_dir`), unless the editor gave it a
        // `dir` of its own (`{dir=ltr}`).
        let dir = (self.item_dirs.contains(&true)
            || crate::bidi::first_strong(&title) == Some(true))
            && !h.attrs.iter().any(|(k, _)| k.eq_ignore_ascii_case("dir"));
        let level = self.heading_level(h.level, h.at);
        let empty = title.trim().is_empty();
        if empty {
            // Axe: an empty heading, and an empty link to it in "On this page".
            let (line, col) = self.locate(h.at);
            self.warn_at(
                line,
                col,
                "this heading has no text: screen readers announce an empty heading",
                "write the heading's words after the `#`s, or remove the line",
            );
        }
        let id = match &h.explicit {
            Some(id) => {
                let given = self.ids.explicit(id);
                if given != *id {
                    // QA Q39: `## A {#step}` twice; the second was renamed without a word.
                    let (line, col) = self.locate(h.at);
                    self.warn_at(
                        line,
                        col,
                        format!(
                            "the id `{id}` is already used on this page: this heading gets `{given}`, and links to `#{id}` go to the first one"
                        ),
                        format!("give this heading an id of its own: `{{#{given}}}` or another name"),
                    );
                }
                given
            }
            None => self.ids.unique(slugify(&title)),
        };
        let _ = write!(self.out, "<h{level} id=\"");
        escape_attr(&mut self.out, &id);
        self.out.push('"');
        if !h.classes.is_empty() {
            self.out.push_str(" class=\"");
            for (n, class) in h.classes.iter().enumerate() {
                if n > 0 {
                    self.out.push(' ');
                }
                escape_attr(&mut self.out, class);
            }
            self.out.push('"');
        }
        for (name, value) in &h.attrs {
            let valid = !name.is_empty()
                && name != "id"
                && name != "class"
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'));
            if !valid {
                continue;
            }
            if !self.unsafe_html
                && let Some((what, help)) = super::sanitize::heading_attr_problem(
                    &format!("h{level}"),
                    &name.to_ascii_lowercase(),
                    value.as_deref(),
                )
            {
                let (line, col) = self.locate(h.at);
                self.warn_at(line, col, what, help);
                continue;
            }
            self.out.push(' ');
            self.out.push_str(name);
            if let Some(value) = value {
                self.out.push_str("=\"");
                escape_attr(&mut self.out, value);
                self.out.push('"');
            }
        }
        if dir {
            self.out.push_str(" dir=\"auto\"");
        }
        self.out.push('>');
        self.out.push_str(&inner);
        let _ = writeln!(self.out, "</h{level}>");
        self.headings.push(HeadingRecord {
            id: id.clone(),
            title: title.clone(),
            text: h.text_start..self.text.len(),
        });
        if !empty {
            self.toc.push(TocEntry {
                level,
                id: id.clone(),
                title,
            });
        }
        self.id_list.push(id);
        self.text_break('\n');
    }

    fn end_code(&mut self) {
        let Some(CodeState { lang, code }) = self.code.take() else {
            return;
        };
        if let Some((name, start)) = self.component.take() {
            self.end_component(&name, start, &code);
            return;
        }
        let highlighted = highlight::highlight(&lang, &code);
        self.out.push_str("<pre class=\"code\"");
        if highlighted.is_some() {
            self.out.push_str(" data-lang=\"");
            escape_attr(&mut self.out, &lang);
            self.out.push('"');
        }
        self.out.push_str("><code>");
        match &highlighted {
            Some(html) => self.out.push_str(html),
            None => escape_text(&mut self.out, &code),
        }
        self.out.push_str("</code></pre>\n");
        self.text.push_str(&code);
        self.text_break('\n');
    }

    fn end_table(&mut self) {
        let Some(t) = self.table.take() else { return };
        if t.body_rows > 0 {
            self.out.push_str("</tbody>\n");
        }
        self.out.push_str("</table>\n");
        let inner = self.pop_buffer();
        self.out
            .push_str("<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"");
        let word = self.label("md_table", "Table");
        escape_attr(&mut self.out, &word);
        if !t.label.is_empty() {
            self.out.push_str(": ");
            escape_attr(&mut self.out, &t.label);
        }
        self.out.push_str("\">\n");
        self.out.push_str(&inner);
        self.out.push_str("</div>\n");
        self.text_break('\n');
    }

    /// The footnote for `label`, created (with its id) on first sight.
    fn footnote(&mut self, label: &str) -> usize {
        // GFM footnote labels match case-insensitively.
        let key = label.to_lowercase();
        if let Some(&index) = self.footnote_index.get(&key) {
            return index;
        }
        let id = self.ids.unique(format!("fn-{}", slugify(label)));
        self.id_list.push(id.clone());
        self.footnote_index.insert(key, self.footnotes.len());
        self.footnotes.push(Footnote {
            id,
            refs: Vec::new(),
            number: None,
            html: None,
        });
        self.footnotes.len() - 1
    }

    fn footnote_reference(&mut self, label: &str) {
        let index = self.footnote(label);
        let number = match self.footnotes[index].number {
            Some(n) => n,
            None => {
                let n = self.next_footnote_number;
                self.next_footnote_number += 1;
                self.footnotes[index].number = Some(n);
                n
            }
        };
        let base = format!("fnref-{}", &self.footnotes[index].id[3..]);
        let ref_id = self.ids.unique(base);
        self.id_list.push(ref_id.clone());
        let note = &mut self.footnotes[index];
        note.refs.push(ref_id.clone());
        if !self.unsafe_html && self.sanitizer.in_link() {
            // Inside a raw `<a>` the reference cannot be a link: its number keeps the id the
            // note's back link goes to.
            self.out.push_str("<sup class=\"footnote-ref\" id=\"");
            escape_attr(&mut self.out, &ref_id);
            let _ = write!(self.out, "\">{number}</sup>");
            return;
        }
        self.out.push_str("<sup class=\"footnote-ref\"><a href=\"#");
        escape_attr(&mut self.out, &note.id);
        self.out.push_str("\" id=\"");
        escape_attr(&mut self.out, &ref_id);
        let _ = write!(self.out, "\">{number}</a></sup>");
    }

    /// Record a link or image and return the escaped value for its `href`/`src`.
    fn link(&mut self, dest: &str, is_image: bool, start: usize) -> String {
        let (line, col) = self.locate(start);
        // QA Q83: `(“../guides/x.md”)` and an invisible character in the address (a Word or
        // Google Docs paste): what the author meant is linked, with a warning.
        let cleaned;
        let dest = match super::slips::clean_address(dest) {
            Some((c, message)) => {
                self.warn_at(line, col, message, format!("write the address as `{c}`"));
                cleaned = c;
                cleaned.as_str()
            }
            None => dest,
        };
        if let Some((message, help)) = super::slips::contact_problem(dest) {
            self.warn_at(line, col, message, help);
        }
        // A file name copied from a Mac is decomposed (n + U+0303): the site's files are
        // published under their composed names (see `fsx::walk_static`), so the link is too.
        let composed;
        let dest = if dest.is_ascii() || has_scheme(dest) {
            dest
        } else {
            composed = crate::fsx::nfc(dest);
            composed.as_str()
        };
        let kind = classify(dest, self.resolve);
        let mut href = String::with_capacity(dest.len() + 8);
        match &kind {
            LinkKind::Document { url: Some(url), .. } => {
                escape_href(&mut href, url);
                if let Some(hash) = dest.find('#') {
                    escape_href(&mut href, &dest[hash..]);
                }
            }
            _ => escape_href(&mut href, dest),
        }
        self.links.push(Link {
            dest: dest.to_string(),
            kind,
            is_image,
            line,
            col,
            alt: String::new(),
        });
        href
    }

    /// A warning at `line:col` of the document (see [`Note`]).
    fn warn_at(
        &mut self,
        line: usize,
        col: usize,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.note_at(false, line, col, message, help);
    }

    /// An error at `line:col` of the document.
    fn error_at(
        &mut self,
        line: usize,
        col: usize,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.note_at(true, line, col, message, help);
    }

    /// A note at `line:col`: an error or a warning, not caused by another file.
    fn note_at(
        &mut self,
        error: bool,
        line: usize,
        col: usize,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.notes.push(Note {
            line,
            col,
            error,
            message: message.into(),
            help: help.into(),
            caused: false,
        });
    }

    /// 1-based line and column (in characters) of byte offset `pos` in the body.
    fn locate(&mut self, pos: usize) -> (usize, usize) {
        let pos = pos.min(self.source.len());
        if pos < self.cursor.pos {
            self.cursor = Cursor::default();
        }
        let Cursor {
            pos: from,
            mut line,
            mut col,
        } = self.cursor;
        let seg = &self.source.as_bytes()[from..pos];
        crate::diagnostics::work(seg.len());
        // Characters are counted as the bytes that do not continue a UTF-8 sequence.
        let chars = |bytes: &[u8]| bytes.iter().filter(|&&b| (b as i8) >= -0x40).count();
        // Line feeds are found with `memchr` (every link is located: three passes byte by byte
        // over each body were 1.6 % of a build's instructions at 10,000 documents).
        match memchr::memrchr(b'\n', seg) {
            Some(last_nl) => {
                line += 1 + memchr::memchr_iter(b'\n', &seg[..last_nl]).count();
                col = 1 + chars(&seg[last_nl + 1..]);
            }
            None => col += chars(seg),
        }
        self.cursor = Cursor { pos, line, col };
        (line, col)
    }

    fn finish(mut self) -> Rendered {
        // QA Q92, Q83: links and headings that markdown shows as text.
        let mut slips = Vec::new();
        for r in std::mem::take(&mut self.prose) {
            if let Some(text) = self.body.get(r.clone()) {
                super::slips::find(self.body, r.start, text, &mut slips);
            }
        }
        for s in slips {
            let (line, col) = self.locate(s.at);
            self.warn_at(line, col, s.message, s.help);
        }
        self.notes.sort_by_key(|n| (n.line, n.col));
        if !self.unsafe_html {
            // Raw elements still open at the end of the text are closed there (QA Q38).
            let mut removed = Vec::new();
            self.sanitizer.finish(&mut self.out, &mut removed);
            self.removed(removed);
            // Repairs are reported when they are made, after later content: body order.
            self.notes.sort_by_key(|n| (n.line, n.col));
        }
        self.write_footnotes();
        let mut sections = Vec::with_capacity(self.headings.len() + 1);
        let first_end = self
            .headings
            .first()
            .map_or(self.text.len(), |h| h.text.start);
        let lead = self.text.get(..first_end).unwrap_or_default().trim();
        if !lead.is_empty() {
            sections.push(Section {
                anchor: None,
                heading: String::new(),
                text: lead.to_string(),
            });
        }
        for (n, h) in self.headings.iter().enumerate() {
            let end = self
                .headings
                .get(n + 1)
                .map_or(self.text.len(), |next| next.text.start);
            let start = h.text.end.min(end);
            sections.push(Section {
                anchor: Some(h.id.clone()),
                heading: h.title.clone(),
                text: self
                    .text
                    .get(start..end)
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            });
        }
        let trimmed = self.text.trim_end().len();
        self.text.truncate(trimmed);
        let word_count = count_words(&self.text);
        // Held until the page is rendered: no spare capacity from growing it. Nor in what a build
        // keeps of every body until its end (the links were ~13 MB of a 10,000-document build's
        // heap, a quarter of it room to grow: session 12).
        self.out.shrink_to_fit();
        self.links.shrink_to_fit();
        self.toc.shrink_to_fit();
        // The ids raw HTML kept are places a link may point at too (one already given to a
        // heading or another element is the link check's duplicate-id error, not listed twice).
        if !self.sanitizer.kept_ids.is_empty() {
            let mut seen: std::collections::HashSet<String> =
                self.id_list.iter().cloned().collect();
            for id in std::mem::take(&mut self.sanitizer.kept_ids) {
                if seen.insert(id.clone()) {
                    self.id_list.push(id);
                }
            }
        }
        self.id_list.shrink_to_fit();
        self.notes.shrink_to_fit();
        self.calls.shrink_to_fit();
        Rendered {
            digest: xxhash_rust::xxh3::xxh3_128(self.out.as_bytes()),
            html: self.out,
            toc: self.toc,
            #[cfg(test)]
            text: self.text,
            sections,
            links: self.links,
            ids: self.id_list,
            has_code: self.has_code,
            word_count,
            notes: self.notes,
            calls: self.calls,
            has_components: self.has_components,
            front: Vec::new(),
            stored: None,
        }
    }

    /// Footnotes go at the end, numbered in order of first reference (unreferenced ones last).
    fn write_footnotes(&mut self) {
        // Referenced notes are always listed, so no reference dangles.
        let listed = |f: &&Footnote| f.html.is_some() || f.number.is_some();
        let mut notes: Vec<&Footnote> = self.footnotes.iter().filter(listed).collect();
        if notes.is_empty() {
            return;
        }
        notes.sort_by_key(|f| f.number.unwrap_or(usize::MAX));
        let section = self.label("md_footnotes", "Footnotes");
        let back = self.label("md_footnote_back", "Back to reference {n}");
        let out = &mut self.out;
        out.push_str("<section class=\"footnotes\" aria-label=\"");
        escape_attr(out, &section);
        out.push_str("\">\n<ol>\n");
        for note in notes {
            out.push_str("<li id=\"");
            escape_attr(out, &note.id);
            out.push_str("\">\n");
            let html = note.html.as_deref().unwrap_or("");
            let mut backrefs = String::new();
            let number = note.number.unwrap_or(0);
            for (k, ref_id) in note.refs.iter().enumerate() {
                backrefs.push_str(" <a href=\"#");
                escape_attr(&mut backrefs, ref_id);
                backrefs.push_str("\" class=\"footnote-backref\" aria-label=\"");
                escape_attr(&mut backrefs, &back.replace("{n}", &number.to_string()));
                if k == 0 {
                    backrefs.push_str("\">↩</a>");
                } else {
                    // "…, 2": the visible number is part of the link's name (axe,
                    // label-content-name-mismatch, WCAG 2.5.3; "… (2)" was not).
                    let _ = write!(backrefs, ", {}\">↩<sup>{}</sup></a>", k + 1, k + 1);
                }
            }
            // Put the back links inside the last paragraph when there is one.
            match html.strip_suffix("</p>\n") {
                Some(head) if !backrefs.is_empty() => {
                    out.push_str(head);
                    out.push_str(&backrefs);
                    out.push_str("</p>\n");
                }
                _ => {
                    out.push_str(html);
                    if !backrefs.is_empty() {
                        out.push_str("<p>");
                        out.push_str(backrefs.trim_start());
                        out.push_str("</p>\n");
                    }
                }
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ol>\n</section>\n");
    }
}

/// The class suffix and visible title of a GitHub alert.
fn alert(kind: pulldown_cmark::BlockQuoteKind) -> (&'static str, &'static str) {
    use pulldown_cmark::BlockQuoteKind as K;
    match kind {
        K::Note => ("note", "Note"),
        K::Tip => ("tip", "Tip"),
        K::Important => ("important", "Important"),
        K::Warning => ("warning", "Warning"),
        K::Caution => ("caution", "Caution"),
    }
}

/// What a destination points at. `resolve` is only called for relative `.md` links.
pub(crate) fn classify(dest: &str, resolve: &dyn Fn(&str) -> Option<String>) -> LinkKind {
    if let Some(fragment) = dest.strip_prefix('#') {
        return if fragment.is_empty() {
            LinkKind::Other
        } else {
            LinkKind::Fragment(percent_decode(fragment))
        };
    }
    if dest.is_empty() || dest.starts_with('/') || dest.starts_with('\\') || has_scheme(dest) {
        return LinkKind::Other;
    }
    let (before_hash, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let path = before_hash.split_once('?').map_or(before_hash, |(p, _)| p);
    let is_md = path.len() > 3 && path.as_bytes()[path.len() - 3..].eq_ignore_ascii_case(b".md");
    if !is_md {
        return LinkKind::Other;
    }
    let path = percent_decode(path);
    let url = resolve(&path);
    LinkKind::Document {
        path,
        fragment: fragment.filter(|f| !f.is_empty()).map(percent_decode),
        url,
    }
}

/// `scheme:` per RFC 3986 before any `/`, `?` or `#`.
fn has_scheme(dest: &str) -> bool {
    let bytes = dest.as_bytes();
    if !bytes.first().is_some_and(u8::is_ascii_alphabetic) {
        return false;
    }
    for &b in &bytes[1..] {
        match b {
            b':' => return true,
            b if b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.') => {}
            _ => return false,
        }
    }
    false
}

/// Words: runs of non-whitespace that contain a letter or digit (so `—` or `{}` alone are not words).
/// Whether a character is a letter is asked only until the word has one: outside ASCII that
/// is a look-up in Unicode's tables, and most Spanish words have an accented letter after an
/// ASCII one (`negociación`: 0.04 G instructions at 10,000 documents, docs/benchmarks.md).
pub(crate) fn count_words(text: &str) -> usize {
    // A word is counted at its first letter or digit, so what matters is whether a letter or
    // digit comes after a space (or the start) with no other letter or digit between:
    // `fresh` is that state; characters that are neither leave it as it is. Eight ASCII bytes
    // are taken at a time, as bit masks (one character at a time with two tests each was
    // ~0.9 G instructions at 10,000 documents, 3.4 % of a build; 17 instructions a byte of
    // markdown against 9 now).
    let bytes = text.as_bytes();
    let mut count = 0;
    let mut fresh = true;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(word) = bytes.get(i..i + 8) {
            let mut w = [0u8; 8];
            w.copy_from_slice(word);
            let x = u64::from_le_bytes(w);
            let high = x & ascii8::HIGH;
            if high == 0 {
                let (n, after) = ascii8::words(x, fresh);
                count += n;
                fresh = after;
                i += 8;
                continue;
            }
            // Letters of U+00C0-U+00FF (`á é ñ ü`, most of Spanish's beyond ASCII) with both
            // their bytes in these eight, and no other character beyond ASCII: the first byte
            // taken as `a` (a letter), the second as `!` (leaves the state as it is), the eight
            // counted at once. Seven bytes before each accent and one character by itself, the
            // Spanish pages' words cost ~6 M instructions more at 10,000 documents
            // (docs/benchmarks.md, session 20).
            let lead = ascii8::eq(x, 0xC3);
            // 0x80-0xBF: top bit set, the next one clear.
            let cont = high & !(x << 1);
            // `×` `÷` (0xC3 0x97, 0xC3 0xB7) are not letters.
            let sign = (ascii8::eq(x, 0x97) | ascii8::eq(x, 0xB7)) & (lead << 8);
            if high == lead | cont && lead >> 63 == 0 && sign == 0 {
                let bytes_of = |m: u64| (m >> 7) * 0xFF;
                let y = (x & !bytes_of(high))
                    | (bytes_of(lead) & (ascii8::ONES * u64::from(b'a')))
                    | (bytes_of(cont) & (ascii8::ONES * u64::from(b'!')));
                let (n, after) = ascii8::words(y, fresh);
                count += n;
                fresh = after;
                i += 8;
                continue;
            }
            // The ASCII bytes before the first one beyond ASCII, the others taken as `!`
            // (neither a space nor a letter: the state is as after the last ASCII byte). Byte
            // by byte for up to seven bytes before each accented letter, Spanish pages' words
            // were counted in 13 M more instructions at 10,000 documents (docs/benchmarks.md,
            // session 19).
            let ascii = high.trailing_zeros() as usize / 8;
            if ascii > 0 {
                let keep = (1u64 << (8 * ascii)) - 1;
                let (n, after) = ascii8::words(
                    (x & keep) | ((ascii8::ONES * u64::from(b'!')) & !keep),
                    fresh,
                );
                count += n;
                fresh = after;
                i += ascii;
                continue;
            }
        }
        let b = bytes[i];
        let (space, alnum) = if b < 0x80 {
            i += 1;
            (b.is_ascii_whitespace(), b.is_ascii_alphanumeric())
        } else if b == 0xC3
            && let Some(&y) = bytes.get(i + 1)
        {
            // U+00C0-U+00FF (`á é ñ ü`, most of Spanish's letters beyond ASCII): letters but
            // `×` and `÷`, none a space, so neither decoded nor looked up in Unicode's tables
            // (that was 1.7 times English's cost per byte here for Spanish text; issue 16).
            i += 2;
            (false, y != 0x97 && y != 0xB7)
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            i += c.len_utf8();
            // Whether it is a letter is asked only where it would start a word (outside ASCII
            // that is a look-up in Unicode's tables).
            (c.is_whitespace(), fresh && c.is_alphanumeric())
        };
        if space {
            fresh = true;
        } else if alnum {
            count += usize::from(fresh);
            fresh = false;
        }
    }
    count
}

/// Eight ASCII bytes as one `u64` (little-endian: byte `k` in bits `8k..8k+8`), each class of
/// byte as a mask of the top bits of its bytes. Exact while every byte is below 0x80: no sum
/// below carries out of its byte.
mod ascii8 {
    pub(super) const ONES: u64 = 0x0101_0101_0101_0101;
    pub(super) const HIGH: u64 = 0x8080_8080_8080_8080;

    /// The bytes equal to `c` (any byte), exactly: no borrow from one byte to the next.
    pub(super) fn eq(x: u64, c: u8) -> u64 {
        const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
        let t = x ^ (ONES * u64::from(c));
        !(((t & LOW) + LOW) | t) & HIGH
    }

    /// The bytes from `lo` to `hi` (both in 1..=0x7F).
    fn within(x: u64, lo: u8, hi: u8) -> u64 {
        let at_least = x + ONES * u64::from(0x80 - lo);
        let above = x + ONES * u64::from(0x7f - hi);
        at_least & !above & HIGH
    }

    /// How many words start in these bytes, and whether a letter or digit after them would
    /// start one, given whether one would before them (`fresh`; see `count_words`).
    pub(super) fn words(x: u64, fresh: bool) -> (usize, bool) {
        let alnum = within(x, b'0', b'9') | within(x | (ONES * 0x20), b'a', b'z');
        // `u8::is_ascii_whitespace`: space, tab, line feed, form feed, carriage return (not the
        // vertical tab 0x0B).
        let space = (within(x, 0x09, 0x0d) & !within(x, 0x0b, 0x0b)) | within(x, b' ', b' ');
        let other = HIGH & !alnum & !space;
        // `after`: the bytes after which a letter or digit starts a word (a space, or another
        // character after such a byte); `seed` is that for the byte before these.
        let seed = if fresh { 0x80 } else { 0 };
        let mut after = space;
        loop {
            let next = space | (other & ((after << 8) | seed));
            if next == after {
                break;
            }
            after = next;
        }
        let starts = alnum & ((after << 8) | seed);
        // One bit a byte at most: the bytes' sum, gathered in the top byte.
        (
            ((starts >> 7).wrapping_mul(ONES) >> 56) as usize,
            after >> 63 != 0,
        )
    }
}

fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Strips tags from raw HTML blocks for the plain text, across the lines of one block. Comments,
/// `<script>` and `<style>` contents are dropped; a tag separates words.
#[derive(Default)]
struct HtmlTextState {
    in_tag: bool,
    in_comment: bool,
    /// Inside `<script>` or `<style>`: skip until the matching close tag.
    skip_until: Option<&'static str>,
}

impl HtmlTextState {
    fn feed(&mut self, html: &str, text: &mut String) {
        let mut rest = html;
        while !rest.is_empty() {
            if self.in_comment {
                match rest.find("-->") {
                    Some(end) => {
                        rest = &rest[end + 3..];
                        self.in_comment = false;
                    }
                    None => return,
                }
            } else if let Some(close) = self.skip_until {
                match find_ascii_ci(rest, close) {
                    Some(end) => {
                        rest = &rest[end..];
                        self.skip_until = None;
                    }
                    None => return,
                }
            } else if self.in_tag {
                match rest.find('>') {
                    Some(end) => {
                        rest = &rest[end + 1..];
                        self.in_tag = false;
                    }
                    None => return,
                }
            } else {
                match rest.find('<') {
                    Some(lt) => {
                        push_html_text(text, &rest[..lt]);
                        rest = &rest[lt..];
                        if rest.starts_with("<!--") {
                            self.in_comment = true;
                            rest = &rest[4..];
                        } else {
                            let b = rest.as_bytes();
                            let name_is = |n: &[u8]| {
                                b.len() > n.len() + 1
                                    && b[1..=n.len()].eq_ignore_ascii_case(n)
                                    && !b[n.len() + 1].is_ascii_alphanumeric()
                            };
                            if name_is(b"script") {
                                self.skip_until = Some("</script");
                            } else if name_is(b"style") {
                                self.skip_until = Some("</style");
                            }
                            self.in_tag = true;
                            rest = &rest[1..];
                            if !text.is_empty() && !text.ends_with(char::is_whitespace) {
                                text.push(' ');
                            }
                        }
                    }
                    None => {
                        push_html_text(text, rest);
                        return;
                    }
                }
            }
        }
    }
}

/// Append text from raw HTML: character references decoded (see [`crate::escape`]), and
/// whitespace runs (`&nbsp;` included) become one space (none at the start).
fn push_html_text(text: &mut String, s: &str) {
    for ch in crate::escape::decode_entities(s).chars() {
        if ch.is_whitespace() {
            if !text.is_empty() && !text.ends_with(char::is_whitespace) {
                text.push(' ');
            }
        } else {
            text.push(ch);
        }
    }
}

fn find_ascii_ci(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    if n.len() > h.len() {
        return None;
    }
    (0..=h.len() - n.len()).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// An address of a page of this site as written (`/stories/x/`, `/es/about/#team`): site
/// absolute, and no file name with an extension (`/files/x.pdf` is a file, not a page in a
/// language).
fn is_page_address(dest: &str) -> bool {
    let path = dest.split(['#', '?']).next().unwrap_or(dest);
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.rsplit('/').next().unwrap_or("").contains('.')
}

/// The column (in characters, from 0) where an argument's value starts on line `n` of a
/// component's block: after the line's first `:`, or 0 when it cannot be found there.
fn value_col(block: &str, n: usize, value: &str) -> usize {
    let line_text = block.split('\n').nth(n).unwrap_or("");
    let at = line_text
        .find(':')
        .and_then(|c| line_text[c..].find(value).map(|v| c + v))
        .unwrap_or(0);
    line_text.get(..at).map_or(0, |s| s.chars().count())
}

#[cfg(test)]
mod locate_tests {
    /// `locate` gives the 1-based line and column in characters of a byte offset, going forward
    /// from the last one found or starting again for an earlier one.
    #[test]
    fn locating_counts_lines_and_characters_forward_and_back() {
        let body = "ab\ncafé [x](y) ñ\n\n\n€ z\nthe last line, é é\n";
        let naive = |pos: usize| {
            let before = &body[..pos];
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            (line, col)
        };
        let mut w = super::Writer::new(body, &|_| None);
        let forward: Vec<usize> = (0..=body.len())
            .filter(|&p| body.is_char_boundary(p))
            .collect();
        for &p in forward.iter().chain(forward.iter().rev().step_by(3)) {
            assert_eq!(w.locate(p), naive(p), "at byte {p}");
        }
        // Past the end: the end.
        assert_eq!(w.locate(body.len() + 5), naive(body.len()));
    }
}
