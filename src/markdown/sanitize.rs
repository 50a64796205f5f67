//! Raw HTML in markdown, made safe: an allow-list of elements and attributes, applied tag by tag.
//!
//! Every tag is parsed and written out again by us (name lower-cased, attribute values quoted and
//! escaped), so nothing the author wrote reaches the page unless it is on the list. Text between
//! tags is copied; a `<` that does not start a tag we understand is escaped. Removed:
//! - `script`, `style`, `iframe`, `object`, `embed`, `template`, `noscript`, `frame(set)`,
//!   `applet`, `svg`, `math`, `textarea`, `select`, `title`, `xmp` — with their content;
//! - any other element not on the list (`form`, `input`, `button`, `video`, `link`, `meta`, …) —
//!   the tag only, its content stays;
//! - event handlers (`on…`), `style` and any attribute not on the list; URLs whose scheme is not
//!   `http`, `https`, `mailto` or `tel` (so `javascript:`, `data:`, `vbscript:`), decoded first so
//!   `java&#115;cript:` is caught too;
//! - `data-*` attributes whose value is an address with a scheme or a `//` host (any scheme:
//!   theme scripts read data attributes, e.g. the video facade frames its `data-player`);
//! - comments, doctypes, processing instructions and CDATA (silently: they never show).
//!
//! The structure is kept valid too (QA Q38): the sanitiser keeps a stack of the raw elements
//! open, in frames for the markdown containers the writer is in (paragraph, list item, quote,
//! emphasis, link), and closes an element left open at the end of its container, removes end
//! tags that close nothing open there, and removes start tags that cannot go where they are (a
//! link in a link, a block in a paragraph, a cell outside a row), each with a warning; a
//! `<details>` must start with its `<summary>` (an error). Children that must come in an order
//! are put in it: one `<figcaption>` in a `<figure>`, first or last; each `<dt>` of a `<dl>`
//! with a `<dd>`; a `<time>` without `datetime` holds a date or loses its tags (see
//! [`Sanitizer::ordered_child`] and `write_end`). Character references to characters
//! no page may hold (`&#0;`, surrogates) become U+FFFD.
//!
//! Each removal is reported as a [`Removal`] at its byte offset, for a warning at file:line:col.
//! `<img>` without an `alt` attribute is reported too (`alt=""` marks a decorative image).
//!
//! Why not `ammonia`: pulldown-cmark hands raw HTML over in pieces (each inline tag is its own
//! event, with markdown between an opening and its closing tag), and ammonia, which parses a whole
//! fragment with html5ever, would close the opening tag on its own; it also cannot say what it
//! removed, and authors need that warning with its position. See README.md ("Raw HTML").

use crate::escape::escape_attr;

/// One thing the sanitiser removed or repaired (or an `<img>` without alt), at a byte offset of
/// the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Removal {
    pub offset: usize,
    pub what: String,
    /// An error rather than a warning (a missing `alt`, a `<details>` without `<summary>`).
    pub error: bool,
    /// For a repair of unbalanced markup (QA Q38): the help line; `what` is then the whole
    /// message. `None` for a removal of something unsafe.
    pub help: Option<String>,
}

impl Removal {
    pub(crate) fn removed(offset: usize, what: String) -> Self {
        Removal {
            offset,
            what,
            error: false,
            help: None,
        }
    }

    pub(crate) fn repaired(offset: usize, what: String, help: String) -> Self {
        Removal {
            offset,
            what,
            error: false,
            help: Some(help),
        }
    }
}

/// The help of the warnings about `aria-hidden="true"` around a link or control.
const ARIA_HIDDEN_HELP: &str = "`aria-hidden=\"true\"` is for decoration screen readers should skip (an icon beside its words), not for links: remove it, or move the link out of that element";

/// Elements removed with everything inside them.
const DROP_WITH_CONTENT: &[&str] = &[
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "template",
    "noscript",
    "frame",
    "frameset",
    "applet",
    "svg",
    "math",
    "textarea",
    "select",
    "title",
    "xmp",
    "noembed",
    "noframes",
    "plaintext",
];

/// Properties of an element the sanitiser keeps (bits of [`TAGS`]).
pub(super) type Props = u8;
pub(super) const NONE: Props = 0;
/// No end tag.
pub(super) const VOID: Props = 1;
/// HTML lets an author leave its end tag out: closing it implicitly is no mistake.
pub(super) const OPTIONAL_END: Props = 2;
/// May only hold text-level content (so a `<div>` cannot go inside it).
pub(super) const TEXT_ONLY: Props = 4;
/// Not text-level: never inside a paragraph or a text-level element.
pub(super) const BLOCK: Props = 8;
/// HTML closes an open `<p>` when it starts.
pub(super) const CLOSES_P: Props = 16;

/// Every element kept (its attributes filtered), with its properties: one table from which
/// every question about an element is answered (sorted by name).
const TAGS: &[(&str, Props)] = &[
    ("a", NONE),
    ("abbr", TEXT_ONLY),
    ("address", BLOCK | CLOSES_P),
    ("aside", BLOCK | CLOSES_P),
    ("b", TEXT_ONLY),
    ("bdi", TEXT_ONLY),
    ("bdo", TEXT_ONLY),
    ("blockquote", BLOCK | CLOSES_P),
    ("br", VOID),
    ("caption", OPTIONAL_END | BLOCK),
    ("cite", TEXT_ONLY),
    ("code", TEXT_ONLY),
    ("col", VOID | BLOCK),
    ("colgroup", OPTIONAL_END | BLOCK),
    ("data", TEXT_ONLY),
    ("dd", OPTIONAL_END | BLOCK),
    ("del", NONE),
    ("details", BLOCK | CLOSES_P),
    ("dfn", TEXT_ONLY),
    ("div", BLOCK | CLOSES_P),
    ("dl", BLOCK | CLOSES_P),
    ("dt", OPTIONAL_END | BLOCK),
    ("em", TEXT_ONLY),
    ("figcaption", BLOCK | CLOSES_P),
    ("figure", BLOCK | CLOSES_P),
    ("h1", TEXT_ONLY | BLOCK | CLOSES_P),
    ("h2", TEXT_ONLY | BLOCK | CLOSES_P),
    ("h3", TEXT_ONLY | BLOCK | CLOSES_P),
    ("h4", TEXT_ONLY | BLOCK | CLOSES_P),
    ("h5", TEXT_ONLY | BLOCK | CLOSES_P),
    ("h6", TEXT_ONLY | BLOCK | CLOSES_P),
    ("hr", VOID | BLOCK | CLOSES_P),
    ("i", TEXT_ONLY),
    ("img", VOID),
    ("ins", NONE),
    ("kbd", TEXT_ONLY),
    ("li", OPTIONAL_END | BLOCK),
    ("mark", TEXT_ONLY),
    ("ol", BLOCK | CLOSES_P),
    ("p", OPTIONAL_END | TEXT_ONLY | BLOCK | CLOSES_P),
    ("pre", TEXT_ONLY | BLOCK | CLOSES_P),
    ("q", TEXT_ONLY),
    ("rp", OPTIONAL_END | TEXT_ONLY),
    ("rt", OPTIONAL_END | TEXT_ONLY),
    ("ruby", TEXT_ONLY),
    ("s", TEXT_ONLY),
    ("samp", TEXT_ONLY),
    ("section", BLOCK | CLOSES_P),
    ("small", TEXT_ONLY),
    ("span", TEXT_ONLY),
    ("strong", TEXT_ONLY),
    ("sub", TEXT_ONLY),
    ("summary", TEXT_ONLY | BLOCK | CLOSES_P),
    ("sup", TEXT_ONLY),
    ("table", BLOCK | CLOSES_P),
    ("tbody", OPTIONAL_END | BLOCK),
    ("td", OPTIONAL_END | BLOCK),
    ("tfoot", OPTIONAL_END | BLOCK),
    ("th", OPTIONAL_END | BLOCK),
    ("thead", OPTIONAL_END | BLOCK),
    ("time", TEXT_ONLY),
    ("tr", OPTIONAL_END | BLOCK),
    ("u", TEXT_ONLY),
    ("ul", BLOCK | CLOSES_P),
    ("var", TEXT_ONLY),
    ("wbr", VOID),
];

/// The properties of a kept element, `None` for one not on the list.
fn props(name: &str) -> Option<Props> {
    TAGS.binary_search_by(|(n, _)| (*n).cmp(name))
        .ok()
        .and_then(|i| TAGS.get(i))
        .map(|(_, p)| *p)
}

/// Whether `name` is kept and has all of `bits`.
pub(super) fn is(name: &str, bits: Props) -> bool {
    props(name).is_some_and(|p| p & bits == bits)
}

/// Attributes allowed on every element (plus `aria-*` and `data-*`).
const GLOBAL_ATTRS: &[&str] = &[
    "class",
    "dir",
    "hidden",
    "id",
    "lang",
    "role",
    "title",
    "translate",
];

/// Attributes allowed on some elements.
const ELEMENT_ATTRS: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang", "rel", "download", "type"]),
    ("blockquote", &["cite"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("data", &["value"]),
    ("del", &["cite", "datetime"]),
    ("details", &["open", "name"]),
    (
        "img",
        &[
            "src", "alt", "width", "height", "srcset", "sizes", "loading", "decoding",
        ],
    ),
    ("ins", &["cite", "datetime"]),
    ("li", &["value"]),
    ("ol", &["start", "reversed", "type"]),
    ("q", &["cite"]),
    ("td", &["colspan", "rowspan", "headers"]),
    ("th", &["colspan", "rowspan", "headers", "scope", "abbr"]),
    ("time", &["datetime"]),
];

/// Attributes whose value is a URL (or, for `srcset`, a list of them).
const URL_ATTRS: &[&str] = &["href", "src", "cite", "srcset"];

/// Elements that only make sense directly inside one of the given parents.
const PARENTS: &[(&str, &[&str])] = &[
    ("li", &["ul", "ol"]),
    ("dt", &["dl"]),
    ("dd", &["dl"]),
    ("figcaption", &["figure"]),
    ("summary", &["details"]),
    ("rp", &["ruby"]),
    ("rt", &["ruby"]),
    ("caption", &["table"]),
    ("colgroup", &["table"]),
    ("col", &["colgroup", "table"]),
    ("thead", &["table"]),
    ("tbody", &["table"]),
    ("tfoot", &["table"]),
    ("tr", &["table", "thead", "tbody", "tfoot"]),
    ("td", &["tr"]),
    ("th", &["tr"]),
];

/// Elements that can hold only the given children (and white space).
const RESTRICTED: &[(&str, &[&str])] = &[
    ("ul", &["li"]),
    ("ol", &["li"]),
    ("dl", &["dt", "dd", "div"]),
    (
        "table",
        &["caption", "colgroup", "thead", "tbody", "tfoot", "tr"],
    ),
    ("thead", &["tr"]),
    ("tbody", &["tr"]),
    ("tfoot", &["tr"]),
    ("tr", &["td", "th"]),
    ("colgroup", &["col"]),
];

/// An element raw HTML opened and did not close yet.
#[derive(Debug)]
struct Open {
    name: String,
    /// Byte offset of its start tag in the body.
    at: usize,
    /// For an `<a>`: it has a name a screen reader can say (text, a picture's alt, an
    /// `aria-label`) so far (QA Q25: an empty raw link is warned about).
    named: bool,
    /// The element the author wrote when we write another (QA Q111: a Google Docs `<span>`
    /// styled bold is written `<strong>`): its end tag closes this one.
    alias: Option<&'static str>,
    /// What it holds so far, for the elements whose children come in an order (bits `K_…`:
    /// a `<figure>`'s caption, a `<dl>`'s terms and descriptions).
    kids: u8,
    /// A `<time>` without `datetime`: where its start tag is in the output, so that it can be
    /// taken out at its end when its text is not a date.
    mark: Option<(usize, usize)>,
    /// Its ` aria-hidden="true"`: where it is in the output, so that it can be taken out when a
    /// link or control comes inside (axe: aria-hidden-focus).
    hidden: Option<(usize, usize)>,
}

/// [`Open::kids`] of a `<figure>`: content before any caption; a caption came; it came after
/// content, so it must be the last thing in the figure.
const K_FLOW: u8 = 1;
const K_CAPTION: u8 = 2;
const K_CAPTION_LAST: u8 = 4;
/// [`Open::kids`] of a `<dl>` (or a `<div>` grouping in one): a term waits for its description;
/// a description came; the `<div>` is a group in a `<dl>`.
const K_TERM: u8 = 8;
const K_DESC: u8 = 16;
const K_DL_GROUP: u8 = 32;
/// [`Open::kids`] of a `<table>`: something came; a head, body rows, a footer came.
const K_T_ANY: u8 = 1;
const K_T_HEAD: u8 = 2;
const K_T_BODY: u8 = 4;
const K_T_FOOT: u8 = 8;
/// [`Open::kids`] of a `<tr>`: it has a cell.
const K_CELL: u8 = 1;

/// Elements that may not be inside the given ones, however deep (the validator: "The element
/// h2 must not appear as a descendant of the address element").
const NOT_INSIDE: &[(&str, &[&str])] = &[
    (
        "address",
        &[
            "address", "aside", "h1", "h2", "h3", "h4", "h5", "h6", "section",
        ],
    ),
    ("caption", &["table"]),
    ("dfn", &["dfn"]),
    (
        "dt",
        &["aside", "h1", "h2", "h3", "h4", "h5", "h6", "section"],
    ),
    (
        "th",
        &["aside", "h1", "h2", "h3", "h4", "h5", "h6", "section"],
    ),
];

/// A markdown container (paragraph, list item, quote, emphasis, …) the writer is inside: raw
/// elements opened in it must be closed in it, or the page's nesting breaks.
#[derive(Debug)]
struct Frame {
    /// Index in [`Sanitizer::open`] of the first element opened inside it.
    from: usize,
    /// "paragraph", "list item", … for messages.
    what: &'static str,
    /// Only text-level content may go inside (a paragraph, a heading, emphasis, a link).
    phrasing: bool,
    /// A markdown link: no `<a>` may open inside it.
    link: bool,
}

/// The state of the sanitiser across the pieces of one document.
#[derive(Debug)]
pub(crate) struct Sanitizer {
    /// Inside an element dropped with its content: its name.
    skip: Option<String>,
    in_comment: bool,
    /// Raw elements open, outermost first (QA Q38: the page's HTML stays balanced).
    open: Vec<Open>,
    frames: Vec<Frame>,
    /// End tags of start tags removed as misplaced: removed silently when they come.
    dropped: Vec<String>,
    /// For each of `dropped`: how many elements were open when its start tag was removed (so
    /// `<address>a <address>b</address></address>` closes the inner, removed one first).
    dropped_at: Vec<usize>,
    /// Inside the `<b id="docs-internal-guid-…">` wrapper of a Google Docs paste (QA Q111);
    /// `docs_told`: its warning was given (once a document).
    in_docs: bool,
    docs_told: bool,
    /// A Docs paragraph ended inside a markdown paragraph: the next one starts on a new line.
    docs_break: bool,
    /// A `<details>` (its offset) whose `<summary>` has not come yet.
    want_summary: Option<usize>,
    /// Bytes taken out of what was written before (a `<time>` start tag, at its end).
    pub(crate) cut: usize,
    /// The ids of the `<th>`s of the raw table open last: a cell's `headers` must name them.
    th_ids: Vec<String>,
    /// Every `id` raw HTML kept (`<a id="old-anchor"></a>`, `<p id="step-2">`), in order: a
    /// link to `#old-anchor` reaches it as it reaches a heading.
    pub(crate) kept_ids: Vec<String>,
    /// The level of the last heading, markdown or raw (1: the page's title): a heading may go
    /// one level deeper, no more (the writer's and raw HTML's headings share it).
    pub(crate) last_level: u8,
    /// The text is a `<summary>`'s (a `{details}` component's `summary:`): no `<a>` in it.
    pub(crate) in_summary: bool,
}

impl Default for Sanitizer {
    fn default() -> Self {
        Sanitizer {
            skip: None,
            in_comment: false,
            open: Vec::new(),
            frames: Vec::new(),
            dropped: Vec::new(),
            dropped_at: Vec::new(),
            in_docs: false,
            docs_told: false,
            docs_break: false,
            want_summary: None,
            cut: 0,
            th_ids: Vec::new(),
            kept_ids: Vec::new(),
            last_level: 1,
            in_summary: false,
        }
    }
}

impl Sanitizer {
    /// Inside an element whose content is dropped (markdown text there is dropped too).
    pub(crate) fn skipping(&self) -> bool {
        self.skip.is_some() || self.in_comment
    }

    /// Forget an element dropped with its content or a comment left open (at the end of a
    /// paragraph or raw HTML block: what follows is the author's text again).
    pub(crate) fn end_skipping(&mut self) {
        self.skip = None;
        self.in_comment = false;
    }

    /// Whether a link is open (a raw `<a>` or a markdown link): no link may go inside it.
    pub(crate) fn in_link(&self) -> bool {
        self.frames.iter().any(|f| f.link) || self.open.iter().any(|o| o.name == "a")
    }

    /// The writer starts a markdown container.
    pub(crate) fn enter(&mut self, what: &'static str, phrasing: bool, link: bool) {
        self.frames.push(Frame {
            from: self.open.len(),
            what,
            phrasing,
            link,
        });
    }

    /// The writer ends the container last entered: raw elements still open in it are closed
    /// here (before the container's own end tag), each with a warning.
    pub(crate) fn leave(&mut self, out: &mut String, removed: &mut Vec<Removal>) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        self.close_down_to(frame.from, frame.what, out, removed);
    }

    /// A markdown block (paragraph, list, heading, …) starts: raw text-level elements left open
    /// around it (`<em>` on a line of its own) cannot hold it, so they are closed first.
    /// `controls`: the block may hold controls (a list's task checkboxes, a table's scrolling
    /// wrapper, a component's `<details>`): a raw `<a>` left open around it is closed before it
    /// too (QA Q80: interactive content inside a link).
    pub(crate) fn block_starts(
        &mut self,
        controls: bool,
        out: &mut String,
        removed: &mut Vec<Removal>,
    ) {
        while !self.in_frame().is_empty() && self.phrasing() {
            let Some(o) = self.open.pop() else { break };
            empty_link(&o, removed);
            if o.name == "p" {
                out.push_str("</p>");
                continue;
            }
            let name = o.name.clone();
            self.cut += write_end(&o, out, removed);
            removed.push(Removal::repaired(
                o.at,
                format!("raw HTML: `<{name}>` holds only text, so it cannot hold the paragraph or block that follows: closed it before that"),
                format!("close it with `</{name}>` on the same line"),
            ));
        }
        let from = self.frame_from();
        if controls && let Some(k) = self.in_frame().iter().position(|o| o.name == "a") {
            while self.open.len() > from + k + 1 {
                if let Some(o) = self.open.pop() {
                    self.close(o, None, out, removed);
                }
            }
            if let Some(o) = self.open.pop() {
                out.push_str("</a>");
                empty_link(&o, removed);
                removed.push(Removal::repaired(
                    o.at,
                    "raw HTML: `<a>` cannot hold the list, table, quote or component that follows (it may hold a checkbox, a scrolling table or a `<details>`, and a link cannot hold controls): closed the link before it".into(),
                    "a link holds words or a picture: to make a whole card clickable, link its title, and keep lists, tables and components outside the `<a>`".into(),
                ));
            }
        }
    }

    /// The end of the document: every raw element still open is closed, with a warning.
    pub(crate) fn finish(&mut self, out: &mut String, removed: &mut Vec<Removal>) {
        while !self.frames.is_empty() {
            self.leave(out, removed);
        }
        self.close_down_to(0, "page", out, removed);
    }

    /// Markdown content is about to be written: a `<details>` waiting for its `<summary>` gets
    /// its error (the summary must come first).
    pub(crate) fn content(&mut self, out: &mut String, removed: &mut Vec<Removal>) {
        if let Some(at) = self.want_summary.take() {
            removed.push(no_summary(at));
        }
        self.leave_restricted(None, out, removed);
        if matches!(self.top(), Some("figure")) {
            self.ordered_child(None, 0, out, removed);
        }
    }

    /// Content goes directly into the innermost open element (`child`: a start tag's name;
    /// `None`: text or markdown), whose children must come in an order (hostile tester: each
    /// of these was a validator error). A `<figure>` has one `<figcaption>`, first or last:
    /// a second one is removed (its text is kept), and content after a last caption closes the
    /// figure before it. A `<dd>` with no `<dt>` before it in its `<dl>` gets an empty one.
    /// `Some((message, help))` when the start tag must be removed.
    fn ordered_child(
        &mut self,
        child: Option<&str>,
        at: usize,
        out: &mut String,
        removed: &mut Vec<Removal>,
    ) -> Option<(String, String)> {
        let from = self.frame_from();
        if self.open.len() <= from {
            return None;
        }
        let o = self.open.last_mut()?;
        match o.name.as_str() {
            "figure" => {
                if o.kids & K_CAPTION_LAST != 0 {
                    let o = self.open.pop()?;
                    out.push_str("</figure>");
                    self.drop_end("figure");
                    removed.push(Removal::repaired(
                        if child.is_some() { at } else { o.at },
                        "raw HTML: content after the `<figcaption>` of a `<figure>` that does not start with it: closed the figure after its caption (a caption is the first or the last thing in a figure)".into(),
                        "put the `<figcaption>` first or last in the `<figure>`, and what follows it after `</figure>`".into(),
                    ));
                    return None;
                }
                if child == Some("figcaption") {
                    if o.kids & K_CAPTION != 0 {
                        return Some((
                            "a second `<figcaption>` in one `<figure>`: removed the tag (its text is kept)".into(),
                            "a `<figure>` has one caption: put all of it in one `<figcaption>`".into(),
                        ));
                    }
                    o.kids |= K_CAPTION;
                    if o.kids & K_FLOW != 0 {
                        o.kids |= K_CAPTION_LAST;
                    }
                } else {
                    o.kids |= K_FLOW;
                }
            }
            "tr" => {
                if matches!(child, Some("td" | "th")) {
                    o.kids |= K_CELL;
                }
            }
            "table" => {
                let kids = o.kids;
                o.kids |= K_T_ANY;
                match child {
                    Some("caption") if kids != 0 => {
                        return Some((
                            "a `<caption>` that is not the first thing in its `<table>`: removed the tag (its text is kept)".into(),
                            "a table has one `<caption>`, right after `<table>`".into(),
                        ));
                    }
                    Some("thead") if kids & (K_T_HEAD | K_T_BODY | K_T_FOOT) != 0 => {
                        return Some((
                            "a `<thead>` after the table's rows or head: removed the tag (its rows are body rows)".into(),
                            "a table has one `<thead>`, before its body rows".into(),
                        ));
                    }
                    Some("thead") => o.kids |= K_T_HEAD,
                    Some("tfoot") if kids & K_T_FOOT != 0 => {
                        return Some((
                            "a second `<tfoot>` in one table: removed the tag".into(),
                            "a table has one `<tfoot>`, after its body rows".into(),
                        ));
                    }
                    Some("tfoot") => o.kids |= K_T_FOOT,
                    Some("tbody" | "tr") if kids & K_T_FOOT != 0 => {
                        removed.push(Removal {
                            offset: at,
                            what: format!("raw HTML: `<{}>` after the table's `<tfoot>`: browsers show the footer where it is written, so it would not be at the bottom", child.unwrap_or("tr")),
                            error: true,
                            help: Some("put the `<tfoot>` after the body rows (HTML 4 wanted it before them; HTML 5 does not)".into()),
                        });
                    }
                    Some("tbody" | "tr") => o.kids |= K_T_BODY,
                    _ => {}
                }
            }
            "dl" | "div" if o.name == "dl" || o.kids & K_DL_GROUP != 0 => match child {
                Some("dt") => o.kids = (o.kids & K_DL_GROUP) | K_TERM,
                Some("dd") => {
                    if o.kids & (K_TERM | K_DESC) == 0 {
                        out.push_str("<dt></dt>");
                        removed.push(Removal::repaired(
                            at,
                            "raw HTML: a description (`<dd>`) with no term (`<dt>`) before it: added an empty term before it".into(),
                            "write the term first: `<dt>term</dt><dd>description</dd>`".into(),
                        ));
                    }
                    o.kids = (o.kids & K_DL_GROUP) | K_DESC;
                }
                _ => {}
            },
            _ => {}
        }
        None
    }

    /// Before content that is not one of their children (`child`: a start tag's name; `None`:
    /// text or markdown), close the elements that can hold only certain children (`<ul>` only
    /// `<li>`, a table only rows and cells): browsers would move the content out of them.
    fn leave_restricted(
        &mut self,
        child: Option<&str>,
        out: &mut String,
        removed: &mut Vec<Removal>,
    ) {
        while let Some(top) = self.top()
            && let Some(children) = RESTRICTED
                .iter()
                .find(|(p, _)| *p == top)
                .map(|(_, c)| *c)
                .or_else(|| self.in_dl_group().then_some(&["dt", "dd"][..]))
            && !child.is_some_and(|c| children.contains(&c))
        {
            let Some(o) = self.open.pop() else { break };
            self.cut += write_end(&o, out, removed);
            if is(&o.name, OPTIONAL_END) {
                continue;
            }
            let name = &o.name;
            let children = children
                .iter()
                .map(|c| format!("`<{c}>`"))
                .collect::<Vec<_>>()
                .join(", ");
            removed.push(Removal::repaired(
                o.at,
                format!("raw HTML: `<{name}>` can only hold {children}: closed it before the text or element that is not one"),
                format!("put it inside one of {children}, or close `</{name}>` before it"),
            ));
        }
    }

    fn close_down_to(
        &mut self,
        from: usize,
        what: &str,
        out: &mut String,
        removed: &mut Vec<Removal>,
    ) {
        while self.open.len() > from {
            let Some(o) = self.open.pop() else { break };
            self.close(o, Some(what), out, removed);
        }
    }

    /// Write the end tag of `o`, which the author did not close where it had to be closed
    /// (`within`: the container it must close in; `None` when an end tag of an element around
    /// it closes it).
    fn close(
        &mut self,
        o: Open,
        within: Option<&str>,
        out: &mut String,
        removed: &mut Vec<Removal>,
    ) {
        if o.name == "details"
            && let Some(at) = self.want_summary.take()
        {
            removed.push(no_summary(at));
        }
        self.cut += write_end(&o, out, removed);
        empty_link(&o, removed);
        if is(&o.name, OPTIONAL_END) {
            return;
        }
        let name = &o.name;
        removed.push(match within {
            Some("page") => Removal::repaired(
                o.at,
                format!("raw HTML: `<{name}>` is never closed: closed it at the end of the text"),
                format!("close it with `</{name}>` where it should end"),
            ),
            Some(what) => Removal::repaired(
                o.at,
                format!("raw HTML: `<{name}>` is not closed within its {what}: closed it at the end of the {what}"),
                format!("close it with `</{name}>` in the same {what} (an element opened inside a paragraph ends with the paragraph; one opened on a line of its own can hold paragraphs and ends where you close it)"),
            ),
            None => Removal::repaired(
                o.at,
                format!("raw HTML: `<{name}>` is not closed: closed it where the element around it ends"),
                format!("close it with `</{name}>` before the end tag of the element around it"),
            ),
        });
    }

    /// Content a reader can perceive is written: every raw `<a>` open has a name.
    pub(crate) fn name_links(&mut self) {
        for o in &mut self.open {
            o.named = true;
        }
    }

    /// A link or control is written next (a raw `<a href>` or `<summary>`, a markdown link, a
    /// component or a scrolling table): every open element that hides what it holds from
    /// screen readers (`aria-hidden="true"`) loses the attribute, with a warning (axe:
    /// aria-hidden-focus; keyboard users would reach a link screen readers do not announce).
    pub(crate) fn focusable(&mut self, out: &mut String, removed: &mut Vec<Removal>) {
        for i in 0..self.open.len() {
            let Some((start, end)) = self.open[i].hidden.take() else {
                continue;
            };
            if out.get(start..end) != Some(" aria-hidden=\"true\"") {
                continue;
            }
            out.replace_range(start..end, "");
            let n = end - start;
            self.cut += n;
            for o in &mut self.open[i + 1..] {
                let shift = |p: &mut usize| {
                    if *p > start {
                        *p -= n;
                    }
                };
                if let Some((a, b)) = &mut o.mark {
                    shift(a);
                    shift(b);
                }
                if let Some((a, b)) = &mut o.hidden {
                    shift(a);
                    shift(b);
                }
            }
            let name = self.open[i].alias.unwrap_or(&self.open[i].name).to_string();
            removed.push(Removal::repaired(
                self.open[i].at,
                format!("raw HTML: `aria-hidden=\"true\"` on <{name}> hides the link or control inside it from screen readers, while keyboard users can still reach it: removed it"),
                ARIA_HIDDEN_HELP.into(),
            ));
        }
    }

    /// Index in `open` of the first element of the innermost container.
    fn frame_from(&self) -> usize {
        self.frames.last().map_or(0, |f| f.from)
    }

    /// The raw elements open in the innermost container, outermost first.
    fn in_frame(&self) -> &[Open] {
        self.open.get(self.frame_from()..).unwrap_or_default()
    }

    /// The innermost open element is a `<div>` grouping terms and descriptions in a `<dl>`.
    fn in_dl_group(&self) -> bool {
        self.in_frame()
            .last()
            .is_some_and(|o| o.kids & K_DL_GROUP != 0)
    }

    fn top(&self) -> Option<&str> {
        self.in_frame().last().map(|o| o.name.as_str())
    }

    /// Only text-level content may go here: the innermost open element (seen through `<a>`,
    /// `<ins>` and `<del>`, which take their parent's content) or else the container says so.
    fn phrasing(&self) -> bool {
        match self
            .in_frame()
            .iter()
            .rev()
            .find(|o| !matches!(o.name.as_str(), "a" | "ins" | "del"))
        {
            Some(o) => is(&o.name, TEXT_ONLY),
            None => self.frames.last().is_some_and(|f| f.phrasing),
        }
    }

    /// Append the safe form of `html` to `out`; removals are reported at `base + offset`.
    pub(crate) fn clean(
        &mut self,
        html: &str,
        base: usize,
        out: &mut String,
        removed: &mut Vec<Removal>,
    ) {
        self.clean_mapped(html, &[(0, base)], out, removed);
    }

    /// Like [`Sanitizer::clean`] for a raw HTML block made of pieces: `starts` maps each
    /// piece's offset in `html` to its offset in the body (in order; the first at 0).
    pub(crate) fn clean_mapped(
        &mut self,
        html: &str,
        starts: &[(usize, usize)],
        out: &mut String,
        removed: &mut Vec<Removal>,
    ) {
        let at_of = |i: usize| body_offset(starts, i);
        let b = html.as_bytes();
        let mut i = 0;
        let mut text_from = 0;
        while i < b.len() {
            if self.in_comment {
                match html[i..].find("-->") {
                    Some(end) => {
                        i += end + 3;
                        self.in_comment = false;
                        text_from = i;
                    }
                    None => return,
                }
                continue;
            }
            if b[i] == b'>' && self.skip.is_none() {
                self.text(&html[text_from..i], at_of(text_from), out, removed);
                self.content(out, removed);
                out.push_str("&gt;");
                i += 1;
                text_from = i;
                continue;
            }
            if b[i] != b'<' {
                i += 1;
                continue;
            }
            if self.skip.is_none() {
                self.text(&html[text_from..i], at_of(text_from), out, removed);
            }
            let rest = &html[i..];
            if rest.starts_with("<!--") {
                self.in_comment = true;
                i += 4;
                text_from = i;
                continue;
            }
            if rest.starts_with("<!") || rest.starts_with("<?") {
                // Doctype, CDATA, processing instruction: dropped up to the next `>`.
                let end = rest.find('>').map_or(b.len(), |e| i + e + 1);
                i = end;
                text_from = i;
                continue;
            }
            match parse_tag(rest) {
                Some(tag) => {
                    let at = at_of(i);
                    i += tag.len;
                    text_from = i;
                    self.tag(&tag, at, out, removed);
                }
                None => {
                    // Not a tag: the `<` is text.
                    if self.skip.is_none() {
                        self.content(out, removed);
                        out.push_str("&lt;");
                    }
                    i += 1;
                    text_from = i;
                }
            }
        }
        if !self.skipping() {
            self.text(&html[text_from..], at_of(text_from), out, removed);
        }
    }

    /// Text between tags: copied, with character references and characters that cannot be
    /// in a page (`&#0;`, a surrogate, NUL) replaced by U+FFFD as browsers show them.
    fn text(&mut self, text: &str, _at: usize, out: &mut String, removed: &mut Vec<Removal>) {
        if text.is_empty() {
            return;
        }
        if !text.trim().is_empty() {
            self.content(out, removed);
            self.name_links();
        }
        push_text(out, text);
    }

    fn tag(&mut self, tag: &Tag<'_>, at: usize, out: &mut String, removed: &mut Vec<Removal>) {
        let mut name = tag.name.to_ascii_lowercase();
        if let Some(skip) = &self.skip {
            if tag.end && *skip == name {
                self.skip = None;
            }
            return;
        }
        if !tag.end && self.docs_paste(&name, tag, at, out, removed) {
            return;
        }
        if DROP_WITH_CONTENT.contains(&name.as_str()) {
            if !tag.end {
                removed.push(Removal::removed(
                    at,
                    format!("<{name}> element (and its content)"),
                ));
                if !tag.self_closing {
                    self.skip = Some(name);
                }
            }
            return;
        }
        if props(&name).is_none() {
            if !tag.end {
                removed.push(Removal::removed(
                    at,
                    format!("<{name}> tag (its text is kept)"),
                ));
            }
            return;
        }
        if tag.end {
            self.end_tag(&name, at, out, removed);
            return;
        }
        if !self.place(&name, at, out, removed) {
            return;
        }
        if name == "table" {
            self.th_ids.clear();
        }
        // A link or a `<summary>` can be reached with the keyboard: an element around it must
        // not hide it from screen readers.
        let focusable = name == "summary"
            || (name == "a"
                && tag
                    .attrs
                    .iter()
                    .any(|(a, _)| a.eq_ignore_ascii_case("href")));
        if focusable {
            self.focusable(out, removed);
        }
        // Where the tag starts in `out`: an `<img>` left without an address is taken out again.
        let tag_start = out.len();
        let mut hidden = None;
        let mut has_address = false;
        // A raw heading that skips a level (`<h5>` after `##`): written one level below the
        // heading before it, as a markdown heading is (the validator rejects a skip).
        let mut alias = None;
        if let Some(n) = heading_number(&name) {
            let written = if n > self.last_level + 1 {
                self.last_level + 1
            } else {
                n
            };
            if written != n {
                removed.push(Removal::repaired(
                    at,
                    format!(
                        "raw HTML: `<h{n}>` after a level-{} heading skips a level: written `<h{written}>`",
                        self.last_level
                    ),
                    format!("use `<h{written}>` here: screen reader users move through a page by its heading levels"),
                ));
                alias = HEADINGS.get(usize::from(n)).copied();
            }
            self.last_level = written;
            if let Some(w) = HEADINGS.get(usize::from(written)) {
                name = (*w).to_string();
            }
        }
        out.push('<');
        out.push_str(&name);
        let allowed = ELEMENT_ATTRS
            .iter()
            .find(|(e, _)| *e == name)
            .map_or(&[][..], |(_, a)| *a);
        let mut has_alt = false;
        let mut has_datetime = false;
        let mut has_dir = false;
        let mut named = false;
        let mut seen: Vec<String> = Vec::new();
        // The element's `role`, when it is one ARIA knows: which `aria-*` attributes it takes.
        let role = tag
            .attrs
            .iter()
            .find(|(a, _)| a.eq_ignore_ascii_case("role"))
            .and_then(|(_, v)| v.as_deref())
            .map(str::trim)
            .filter(|r| aria::valid_role(r));
        for (attr, value) in &tag.attrs {
            let attr = attr.to_ascii_lowercase();
            if seen.contains(&attr) {
                continue;
            }
            seen.push(attr.clone());
            let ok_name = GLOBAL_ATTRS.contains(&attr.as_str())
                || allowed.contains(&attr.as_str())
                || ((attr.starts_with("aria-") || attr.starts_with("data-"))
                    && attr.len() > 5
                    && attr
                        .bytes()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.')));
            if !ok_name {
                if self.in_docs && attr == "style" {
                    // Google Docs' inline styles: the paste's one warning says it.
                    continue;
                }
                let what = if attr.starts_with("on") {
                    format!("event handler `{attr}` on <{name}>")
                } else {
                    format!("`{attr}` attribute on <{name}>")
                };
                removed.push(Removal::removed(at, what));
                continue;
            }
            let mut value = value
                .as_deref()
                .map(crate::escape::decode_entities)
                .map(|v| v.replace(bad_char, "\u{fffd}"));
            // A yes/no attribute is on whatever its value (hostile tester s17: `reversed="no"`
            // reversed the list, and is not valid HTML): written alone, as browsers read it.
            if matches!(attr.as_str(), "reversed" | "open" | "hidden")
                && let Some(v) = &value
                && !v.is_empty()
                && !v.eq_ignore_ascii_case(&attr)
                && !(attr == "hidden" && v.eq_ignore_ascii_case("until-found"))
            {
                removed.push(Removal::repaired(
                    at,
                    format!(
                        "raw HTML: `{attr}=\"{v}\"` on <{name}>: `{attr}` is on whenever it is written, whatever its value: written `{attr}` alone"
                    ),
                    format!("to turn it off, remove `{attr}`"),
                ));
                value = None;
            }
            if URL_ATTRS.contains(&attr.as_str())
                && let Some(v) = &value
            {
                let urls: Vec<&str> = if attr == "srcset" {
                    v.split(',')
                        .filter_map(|c| c.split_whitespace().next())
                        .collect()
                } else {
                    vec![v.as_str()]
                };
                if let Some(bad) = urls.iter().find(|u| !safe_url(u)) {
                    let scheme = scheme_of(bad);
                    removed.push(Removal::removed(
                        at,
                        format!("`{attr}` with a `{scheme}:` URL on <{name}>"),
                    ));
                    continue;
                }
                // `href="https://example.org/a b"`, `%zz`: browsers encode what an address
                // cannot hold; the validator rejects it. Written encoded, as browsers read it.
                // (`cite` is only the source's address: one with a space is removed below.)
                if matches!(attr.as_str(), "href" | "src")
                    && let Some(fixed) = crate::escape::encode_url(v)
                {
                    removed.push(Removal::repaired(
                        at,
                        format!("raw HTML: `{attr}=\"{v}\"` on <{name}> holds a space or another character an address cannot hold: written `{fixed}`, as browsers read it"),
                        "write a space in an address as `%20` (better: name files without spaces) and `%` as `%25`".into(),
                    ));
                    value = Some(fixed);
                }
            }
            if attr.starts_with("data-")
                && let Some(v) = &value
                && leaves_the_page(v)
            {
                // Theme scripts read data attributes (the video facade loads `data-player` in
                // an iframe): from raw HTML, one must not name another site or a script URL.
                removed.push(Removal::removed(
                    at,
                    format!("`{attr}` holding an address on <{name}>"),
                ));
                continue;
            }
            if let Some(v) = &value
                && let Some((what, help)) = bad_value(&name, &attr, v)
            {
                // QA Q78: `lang="english"` makes screen readers pick no voice at all.
                removed.push(Removal::repaired(at, format!("raw HTML: {what}"), help));
                continue;
            }
            if let Some((what, help)) =
                aria::problem(&name, &attr, value.as_deref().unwrap_or(""), role)
            {
                removed.push(Removal::repaired(at, format!("raw HTML: {what}"), help));
                continue;
            }
            if attr == "aria-hidden"
                && value
                    .as_deref()
                    .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
            {
                if focusable {
                    removed.push(Removal::repaired(
                        at,
                        format!("raw HTML: `aria-hidden=\"true\"` on <{name}> hides it from screen readers, while keyboard users can still reach it: removed it"),
                        ARIA_HIDDEN_HELP.into(),
                    ));
                    continue;
                }
                hidden = Some((out.len(), out.len() + " aria-hidden=\"true\"".len()));
                out.push_str(" aria-hidden=\"true\"");
                continue;
            }
            if attr == "alt" {
                has_alt = true;
            }
            if attr == "datetime" && value.is_some() {
                has_datetime = true;
            }
            if attr == "dir" {
                has_dir = true;
            }
            if attr == "id"
                && let Some(v) = &value
            {
                if name == "th" {
                    self.th_ids.push(v.clone());
                }
                self.kept_ids.push(v.clone());
            }
            if attr == "headers"
                && let Some(v) = &value
                && let Some(missing) = v
                    .split_ascii_whitespace()
                    .find(|id| !self.th_ids.iter().any(|t| t == id))
                    .or(v.trim().is_empty().then_some(""))
            {
                removed.push(Removal::repaired(
                    at,
                    format!("raw HTML: `headers=\"{v}\"` on <{name}> names `{missing}`, which is no `<th id=\"…\">` before it in this table: removed it"),
                    "`headers` lists the ids of the header cells (`<th id=\"q1\">`) of this cell; with `scope=\"col\"` on the headers, cells need none".into(),
                ));
                continue;
            }
            if matches!(attr.as_str(), "src" | "srcset")
                && value.as_deref().is_some_and(|v| !v.trim().is_empty())
            {
                has_address = true;
            }
            if matches!(
                attr.as_str(),
                "alt" | "aria-label" | "aria-labelledby" | "title"
            ) && value.as_deref().is_some_and(|v| !v.trim().is_empty())
            {
                named = true;
            }
            out.push(' ');
            out.push_str(&attr);
            if let Some(v) = &value {
                out.push_str("=\"");
                escape_attr(out, v);
                out.push('"');
            }
        }
        if name == "h1" {
            // QA Q25: as for a markdown `#` heading.
            removed.push(Removal::repaired(
                at,
                "a raw `<h1>` in the text: the page's title is its only level-1 heading".into(),
                "use `<h2>` (or `##` in markdown) for a section of the page".into(),
            ));
        }
        if name == "img" && !has_address {
            // Hostile tester s17: `<img alt="d">` (its `data:` source removed, or none given)
            // is not valid HTML and shows a broken picture: the image goes, its alt text too.
            out.truncate(tag_start);
            removed.push(Removal::removed(
                at,
                "<img> left without an address (no `src` it may keep)".into(),
            ));
            return;
        }
        if (name == "data" && !seen.iter().any(|a| a == "value")) || (name == "bdo" && !has_dir) {
            // Hostile tester: the validator requires them; without it the element means
            // nothing more than its text.
            out.truncate(tag_start);
            let (attr, help) = if name == "data" {
                (
                    "value",
                    "give the value computers read: `<data value=\"42\">forty-two</data>`",
                )
            } else {
                (
                    "dir",
                    "write `<bdo dir=\"rtl\">` or `<bdo dir=\"ltr\">`, or `<bdi>` to isolate text of either direction",
                )
            };
            removed.push(Removal::repaired(
                at,
                format!("raw HTML: `<{name}>` without a valid `{attr}`: removed the tag (its text is kept)"),
                help.into(),
            ));
            self.drop_end(&name);
            return;
        }
        if name == "img" && !has_alt {
            removed.push(Removal {
                offset: at,
                what: "<img> has no `alt` attribute".into(),
                error: true,
                help: None,
            });
        }
        out.push('>');
        if name == "img" && named {
            self.name_links();
        }
        if !is(&name, VOID) {
            let kids = if name == "div" && self.top() == Some("dl") {
                K_DL_GROUP
            } else {
                0
            };
            // Hostile tester: `<time>ayer</time>` (no `datetime`, and text that is not a date)
            // is not valid HTML: its text is checked at its end.
            let mark = ((name == "time" && !has_datetime) || name == "tr")
                .then_some((tag_start, out.len()));
            self.open.push(Open {
                name: name.clone(),
                at,
                // An `<a>` with no `href` is a place to link to (`<a id="old-anchor"></a>`),
                // not a link: nothing to click, nothing for a screen reader to name.
                named: (name != "a" && heading_number(&name).is_none())
                    || named
                    || (name == "a" && !focusable),
                alias,
                kids,
                mark,
                hidden,
            });
            if name == "details" {
                self.want_summary = Some(at);
            }
        }
    }

    /// QA Q111: Google Docs puts what is copied in `<b style="font-weight:normal"
    /// id="docs-internal-guid-…">` (with `<meta charset>` before it) and marks bold and italics
    /// with inline styles on `<span>`s. Without its style the wrapper made the whole paste bold
    /// and held its paragraphs, so they were removed. The wrapper and the `<meta>` are dropped
    /// (one warning for the paste), and a span styled bold or italic is written `<strong>` or
    /// `<em>`. `true` when the start tag was handled here.
    fn docs_paste(
        &mut self,
        name: &str,
        tag: &Tag<'_>,
        at: usize,
        out: &mut String,
        removed: &mut Vec<Removal>,
    ) -> bool {
        let attr = |a: &str| {
            tag.attrs
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(a))
                .and_then(|(_, v)| v.as_deref())
        };
        match name {
            "meta" => attr("charset").is_some() && tag.attrs.len() == 1,
            "b" if attr("id").is_some_and(|id| id.starts_with("docs-internal-guid-")) => {
                if !self.docs_told {
                    self.docs_told = true;
                    removed.push(Removal::repaired(
                        at,
                        "this text was pasted from Google Docs as HTML: removed Docs' `<b id=\"docs-internal-guid-…\">` wrapper (it made the whole paste bold and one paragraph) and its inline styles; kept its paragraphs, bold and italics".into(),
                        "paste from Google Docs as plain text (Ctrl+Shift+V) and mark bold with `**bold**` and italics with `*italics*`, so the page keeps the site's styles".into(),
                    ));
                }
                self.in_docs = true;
                self.drop_end("b");
                true
            }
            // Pasted inside a markdown paragraph (the paste starts a line with `<meta>`, which
            // is no HTML block), Docs' paragraphs cannot be paragraphs: each starts a new line.
            "p" if self.in_docs && self.phrasing() => {
                if std::mem::take(&mut self.docs_break) {
                    out.push_str("<br>");
                }
                self.drop_end("p");
                true
            }
            "span" if self.in_docs => {
                let style = attr("style")
                    .unwrap_or("")
                    .to_ascii_lowercase()
                    .replace(' ', "");
                let bold = ["700", "600", "800", "900", "bold"]
                    .iter()
                    .any(|w| style.contains(&format!("font-weight:{w}")));
                let written = if bold {
                    "strong"
                } else if style.contains("font-style:italic") {
                    "em"
                } else {
                    return false;
                };
                if self.place(written, at, out, removed) {
                    out.push('<');
                    out.push_str(written);
                    out.push('>');
                    self.open.push(Open {
                        name: written.to_string(),
                        at,
                        named: true,
                        alias: Some("span"),
                        kids: 0,
                        mark: None,
                        hidden: None,
                    });
                } else if let Some(d) = self.dropped.last_mut() {
                    *d = "span".into();
                }
                true
            }
            _ => false,
        }
    }

    /// Before a start tag of `name`: close what HTML closes implicitly (an open `<p>`, `<li>`,
    /// cell or row), and say whether the element may open here at all (`false`: it was
    /// removed with a warning, and its end tag will be removed too).
    fn place(
        &mut self,
        name: &str,
        at: usize,
        out: &mut String,
        removed: &mut Vec<Removal>,
    ) -> bool {
        let first_in_details = self.top() == Some("details") && self.want_summary.is_some();
        if name == "summary" && first_in_details {
            self.want_summary = None;
        } else if let Some(at) = self.want_summary.take() {
            removed.push(no_summary(at));
        }
        let from = self.frame_from();
        let implied: &[&str] = match name {
            "li" => &["li"],
            "dt" | "dd" => &["dt", "dd"],
            "tr" => &["td", "th", "tr"],
            "td" | "th" => &["td", "th"],
            "thead" | "tbody" | "tfoot" => &["td", "th", "tr", "thead", "tbody", "tfoot"],
            "rp" | "rt" => &["rp", "rt"],
            _ if is(name, CLOSES_P) => &["p"],
            _ => &[],
        };
        while self.open.len() > from
            && self
                .open
                .last()
                .is_some_and(|o| implied.contains(&o.name.as_str()))
        {
            if let Some(o) = self.open.pop() {
                self.close(o, None, out, removed);
            }
        }
        self.leave_restricted(Some(name), out, removed);
        let misplaced = if let Some(m) = self.ordered_child(Some(name), at, out, removed) {
            Some(m)
        } else if let Some(outer) = self.open.iter().rev().find_map(|o| {
            NOT_INSIDE
                .iter()
                .find(|(a, inner)| *a == o.name && inner.contains(&name))
                .map(|(a, _)| *a)
        }) {
            Some((
                format!(
                    "`<{name}>` cannot go inside `<{outer}>`: removed the tag (its text is kept)"
                ),
                format!("close `</{outer}>` before `<{name}>`, or leave `<{name}>` out"),
            ))
        } else if name == "summary" && !first_in_details {
            Some((
                "`<summary>` that is not the first thing in its `<details>`: removed the tag (its text is kept)".to_string(),
                "a `<details>` has one `<summary>`, right after `<details>`".to_string(),
            ))
        } else if name == "a" && (self.in_summary || self.open.iter().any(|o| o.name == "summary"))
        {
            // Axe (nested-interactive): a summary is clicked to open its section.
            Some((
                "a link inside a `<summary>`: removed the `<a>` tag (its text is kept)".to_string(),
                "a `<summary>` opens its section when clicked, so it cannot hold a link: put the link in the section's text".to_string(),
            ))
        } else if matches!(name, "a" | "details") && self.in_link() {
            Some((
                format!(
                    "a `<{name}>` inside a link: removed the inner `<{name}>` tag (its text is kept)"
                ),
                "a link cannot hold another link: close the first `</a>` before the next `<a>`"
                    .to_string(),
            ))
        } else if is(name, BLOCK) && self.phrasing() {
            Some((
                format!(
                    "`<{name}>` cannot go inside a paragraph, heading or text-level element: removed the tag (its text is kept)"
                ),
                format!(
                    "a block such as `<{name}>` goes on a line of its own, with a blank line before it"
                ),
            ))
        } else if let Some((_, parents)) = PARENTS.iter().find(|(n, _)| *n == name)
            && !self.top().is_some_and(|t| parents.contains(&t))
            && !(matches!(name, "dt" | "dd") && self.in_dl_group())
        {
            let parents = parents
                .iter()
                .map(|p| format!("`<{p}>`"))
                .collect::<Vec<_>>()
                .join(" or ");
            Some((
                format!("`<{name}>` outside {parents}: removed the tag (its text is kept)"),
                format!("`<{name}>` goes directly inside {parents}"),
            ))
        } else {
            None
        };
        match misplaced {
            Some((what, help)) => {
                removed.push(Removal::repaired(at, format!("raw HTML: {what}"), help));
                if !is(name, VOID) {
                    self.drop_end(name);
                }
                false
            }
            None => true,
        }
    }

    /// A start tag of `name` was removed: its end tag will be removed too.
    fn drop_end(&mut self, name: &str) {
        self.dropped.push(name.to_string());
        self.dropped_at.push(self.open.len());
    }

    /// An end tag: it closes the innermost open element of its name in the current container
    /// (and, with a warning, those left open inside it); with none open there it is removed.
    fn end_tag(&mut self, name: &str, at: usize, out: &mut String, removed: &mut Vec<Removal>) {
        if is(name, VOID) {
            return;
        }
        let from = self.frame_from();
        let found = self
            .in_frame()
            .iter()
            .rposition(|o| o.name == name || o.alias == Some(name))
            .map(|k| k + from);
        // A start tag of this name removed inside the element found is the one this closes.
        let dropped = self.dropped.iter().rposition(|d| d == name);
        let found = match (found, dropped) {
            (Some(k), Some(d)) if self.dropped_at.get(d).is_some_and(|&n| n > k) => None,
            (found, _) => found,
        };
        match found {
            Some(k) => {
                while self.open.len() > k + 1 {
                    if let Some(o) = self.open.pop() {
                        self.close(o, None, out, removed);
                    }
                }
                if name == "details"
                    && let Some(at) = self.want_summary.take()
                {
                    removed.push(no_summary(at));
                }
                if let Some(o) = self.open.pop() {
                    empty_link(&o, removed);
                    self.cut += write_end(&o, out, removed);
                }
            }
            None => {
                if let Some(d) = dropped {
                    self.dropped.remove(d);
                    if d < self.dropped_at.len() {
                        self.dropped_at.remove(d);
                    }
                    if name == "b" && !self.dropped.iter().any(|d| d == "b") {
                        self.in_docs = false;
                        self.docs_break = false;
                    }
                    if name == "p" && self.in_docs {
                        self.docs_break = true;
                    }
                    return;
                }
                let where_ = if self.open.iter().any(|o| o.name == name) {
                    "its `<{name}>` was opened outside the paragraph, list item or quote this end tag is in"
                } else {
                    "no `<{name}>` is open here"
                };
                removed.push(Removal::repaired(
                    at,
                    format!(
                        "raw HTML: removed the end tag `</{name}>`: {}",
                        where_.replace("{name}", name)
                    ),
                    "remove it, or open the element in the same paragraph or block".into(),
                ));
            }
        }
    }
}

/// What is wrong with an attribute given to a markdown heading (`## Title {key=value}`), the
/// message and help, or `None` when raw HTML could give it to a heading too. Hostile tester:
/// `{onclick=…}`, `{style=…}` and any `{key=value}` were written as they were, past the
/// sanitiser (an event handler on the page).
pub(crate) fn heading_attr_problem(
    element: &str,
    attr: &str,
    value: Option<&str>,
) -> Option<(String, String)> {
    let attr_ok = (GLOBAL_ATTRS.contains(&attr) && attr != "id")
        || ((attr.starts_with("aria-") || attr.starts_with("data-"))
            && attr.len() > 5
            && attr
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.')));
    let help = "a heading takes `{#id}`, `.class` and the attributes raw HTML may give it (`lang`, `dir`, `title`, `data-…`, `aria-…`)";
    if !attr_ok {
        return Some((
            format!("`{attr}` on a markdown heading is not an attribute it may have: removed it"),
            help.to_string(),
        ));
    }
    let v = value.unwrap_or("");
    if attr.starts_with("data-") && leaves_the_page(v) {
        return Some((
            format!("`{attr}` holding an address on a markdown heading: removed it"),
            help.to_string(),
        ));
    }
    bad_value(element, attr, v).or_else(|| aria::problem(element, attr, v, None))
}

/// An attribute value browsers and screen readers cannot use (QA Q78): a `lang` that is no
/// language tag, a `dir` other than `ltr`/`rtl`/`auto`, a number that is not one. The message
/// and help when the attribute must go.
fn bad_value(element: &str, attr: &str, value: &str) -> Option<(String, String)> {
    let v = value.trim();
    let number = |min: i64| v.parse::<i64>().is_ok_and(|n| n >= min);
    let (ok, help) = match (element, attr) {
        (_, "lang" | "hreflang") => {
            let tag = v.split('-').enumerate().all(|(k, part)| {
                let len_ok = if k == 0 {
                    (2..=3).contains(&part.len())
                } else {
                    (1..=8).contains(&part.len())
                };
                len_ok
                    && part.bytes().all(|b| b.is_ascii_alphanumeric())
                    && (k > 0 || part.bytes().all(|b| b.is_ascii_alphabetic()))
            });
            let lower = v.to_lowercase();
            let meant = match lower.as_str() {
                "english" | "inglés" | "ingles" => Some("en"),
                "spanish" | "español" | "espanol" | "castellano" => Some("es"),
                "french" | "français" | "francais" => Some("fr"),
                "chinese" => Some("zh"),
                "tagalog" | "filipino" => Some("tl"),
                "vietnamese" => Some("vi"),
                "korean" => Some("ko"),
                "hawaiian" => Some("haw"),
                _ => None,
            };
            (
                (v.is_empty() && attr == "lang") || tag,
                match meant {
                    Some(code) => format!(
                        "did you mean `{attr}=\"{code}\"`? `{attr}` takes a language code (`en`, `es`, `es-MX`), which screen readers use to pick their voice"
                    ),
                    None => format!("`{attr}` takes a language code (`en`, `es`, `es-MX`), which screen readers use to pick their voice"),
                },
            )
        }
        ("bdo", "dir") => (
            matches!(v.to_ascii_lowercase().as_str(), "ltr" | "rtl"),
            "`<bdo>` turns text the way `dir` says: `ltr` or `rtl`".to_string(),
        ),
        (_, "dir") => (
            matches!(v.to_ascii_lowercase().as_str(), "ltr" | "rtl" | "auto"),
            "`dir` is `ltr`, `rtl` or `auto`".to_string(),
        ),
        ("ol", "start") | ("li", "value") => (
            number(i64::MIN),
            "write a whole number, e.g. `3`".to_string(),
        ),
        (_, "colspan") => (
            number(1) && !number(1001),
            "write a whole number from 1 to 1000, e.g. `2`".to_string(),
        ),
        (_, "span") => (
            number(1) && !number(1001),
            "write a whole number from 1 to 1000, e.g. `2`".to_string(),
        ),
        (_, "rowspan") => (
            number(0) && !number(65535),
            "write a whole number from 0 to 65534, e.g. `2`".to_string(),
        ),
        ("th", "scope") => (
            matches!(
                v.to_ascii_lowercase().as_str(),
                "row" | "col" | "rowgroup" | "colgroup"
            ),
            "`scope` is `col` (a column's header), `row`, `colgroup` or `rowgroup`".to_string(),
        ),
        (_, "translate") => (
            matches!(v.to_ascii_lowercase().as_str(), "" | "yes" | "no"),
            "`translate` is `yes` or `no` (`no`: translation tools leave the text as it is)"
                .to_string(),
        ),
        ("a", "type") => (
            mime_type(v),
            "`type` is the linked file's media type, e.g. `application/pdf`".to_string(),
        ),
        ("ol", "type") => (
            matches!(v, "1" | "a" | "A" | "i" | "I"),
            "`type` on `<ol>` is one of `1`, `a`, `A`, `i`, `I`".to_string(),
        ),
        // Hostile tester s17: each was published, an error of the validator.
        (_, "id") => (
            !value.is_empty() && !value.contains(char::is_whitespace),
            "an id is one word without spaces, e.g. `step-2`".to_string(),
        ),
        ("time", "datetime") => (
            datetime::valid_for_time(v),
            "write a date or time the standard way: `2021-06-30`, `2021-06`, `14:54`, `2021-06-30T14:54-07:00` or a duration such as `PT4H18M`".to_string(),
        ),
        ("ins" | "del", "datetime") => (
            datetime::valid_for_edit(v),
            "write the date of the change, `2021-06-30`, or a date and time with its zone, `2021-06-30T14:54-07:00`".to_string(),
        ),
        (_, "cite") => (
            !v.is_empty() && !v.contains(char::is_whitespace),
            "`cite` is the address of the source, without spaces, e.g. `https://example.org/report`".to_string(),
        ),
        _ => return None,
    };
    (!ok).then(|| {
        (
            format!(
                "`{attr}=\"{value}\"` on <{element}> is not a value browsers understand: removed it"
            ),
            help,
        )
    })
}

/// ARIA in raw HTML, as the validator checks it (hostile tester: `role="bogus"`,
/// `aria-hidden="maybe"`, `aria-label` on a `<span>`, `aria-expanded` with no widget were each
/// published and rejected). Raw HTML runs no script, so it describes no widget: the states of
/// widgets (`aria-expanded`, `aria-checked`, …) are kept only with a `role` that says what the
/// element is.
mod aria {
    /// ARIA 1.2's roles an author may write (not the abstract ones), with DPUB's `doc-…`.
    const ROLES: &[&str] = &[
        "alert",
        "alertdialog",
        "application",
        "article",
        "banner",
        "blockquote",
        "button",
        "caption",
        "cell",
        "checkbox",
        "code",
        "columnheader",
        "combobox",
        "complementary",
        "contentinfo",
        "definition",
        "deletion",
        "dialog",
        "directory",
        "document",
        "emphasis",
        "feed",
        "figure",
        "form",
        "generic",
        "grid",
        "gridcell",
        "group",
        "heading",
        "img",
        "insertion",
        "link",
        "list",
        "listbox",
        "listitem",
        "log",
        "main",
        "marquee",
        "math",
        "menu",
        "menubar",
        "menuitem",
        "menuitemcheckbox",
        "menuitemradio",
        "meter",
        "navigation",
        "none",
        "note",
        "option",
        "paragraph",
        "presentation",
        "progressbar",
        "radio",
        "radiogroup",
        "region",
        "row",
        "rowgroup",
        "rowheader",
        "scrollbar",
        "search",
        "searchbox",
        "separator",
        "slider",
        "spinbutton",
        "status",
        "strong",
        "subscript",
        "superscript",
        "switch",
        "tab",
        "table",
        "tablist",
        "tabpanel",
        "term",
        "textbox",
        "time",
        "timer",
        "toolbar",
        "tooltip",
        "tree",
        "treegrid",
        "treeitem",
    ];
    const DPUB: &[&str] = &[
        "abstract",
        "acknowledgments",
        "afterword",
        "appendix",
        "backlink",
        "biblioentry",
        "bibliography",
        "biblioref",
        "chapter",
        "colophon",
        "conclusion",
        "cover",
        "credit",
        "credits",
        "dedication",
        "endnote",
        "endnotes",
        "epigraph",
        "epilogue",
        "errata",
        "example",
        "footnote",
        "foreword",
        "glossary",
        "glossref",
        "index",
        "introduction",
        "noteref",
        "notice",
        "pagebreak",
        "pagelist",
        "part",
        "preface",
        "prologue",
        "pullquote",
        "qna",
        "subtitle",
        "tip",
        "toc",
    ];
    /// Attributes ARIA allows on any element, with the values each takes (`None`: any text
    /// or id references).
    const GLOBAL: &[(&str, Option<&[&str]>)] = &[
        ("aria-atomic", Some(&["true", "false"])),
        ("aria-busy", Some(&["true", "false"])),
        (
            "aria-current",
            Some(&["page", "step", "location", "date", "time", "true", "false"]),
        ),
        ("aria-describedby", None),
        ("aria-description", None),
        ("aria-details", None),
        ("aria-flowto", None),
        ("aria-hidden", Some(&["true", "false", "undefined"])),
        ("aria-keyshortcuts", None),
        ("aria-label", None),
        ("aria-labelledby", None),
        ("aria-live", Some(&["off", "polite", "assertive"])),
        ("aria-relevant", None),
        ("aria-roledescription", None),
    ];
    /// ARIA's other attributes: states of widgets, kept only with a `role`.
    const WIDGET: &[&str] = &[
        "aria-activedescendant",
        "aria-autocomplete",
        "aria-controls",
        "aria-owns",
        "aria-braillelabel",
        "aria-brailleroledescription",
        "aria-checked",
        "aria-colcount",
        "aria-colindex",
        "aria-colindextext",
        "aria-colspan",
        "aria-disabled",
        "aria-dropeffect",
        "aria-errormessage",
        "aria-expanded",
        "aria-grabbed",
        "aria-haspopup",
        "aria-invalid",
        "aria-level",
        "aria-modal",
        "aria-multiline",
        "aria-multiselectable",
        "aria-orientation",
        "aria-placeholder",
        "aria-posinset",
        "aria-pressed",
        "aria-readonly",
        "aria-required",
        "aria-rowcount",
        "aria-rowindex",
        "aria-rowindextext",
        "aria-rowspan",
        "aria-selected",
        "aria-setsize",
        "aria-sort",
        "aria-valuemax",
        "aria-valuemin",
        "aria-valuenow",
        "aria-valuetext",
    ];
    /// Roles that cannot be given a name (`aria-label`): screen readers do not read it.
    const UNNAMED_ROLES: &[&str] = &[
        "caption",
        "code",
        "deletion",
        "emphasis",
        "generic",
        "insertion",
        "none",
        "paragraph",
        "presentation",
        "strong",
        "subscript",
        "superscript",
        "term",
        "time",
        "mark",
    ];
    /// Elements whose own role takes a name (a link, a picture, a region, a list, a table, …).
    const NAMED_ELEMENTS: &[&str] = &[
        "a", "address", "aside", "details", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
        "img", "li", "ol", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    ];

    /// `role="…"`: one or more roles ARIA knows, separated by spaces.
    pub(super) fn valid_role(v: &str) -> bool {
        !v.trim().is_empty()
            && v.split_ascii_whitespace().all(|r| {
                let r = r.to_ascii_lowercase();
                ROLES.contains(&r.as_str())
                    || r.strip_prefix("doc-").is_some_and(|d| DPUB.contains(&d))
                    || matches!(
                        r.as_str(),
                        "graphics-document" | "graphics-object" | "graphics-symbol"
                    )
            })
    }

    /// What is wrong with `attr="value"` on `<element>` (with its valid `role`, if any): the
    /// message and the help, or `None` when ARIA allows it.
    pub(super) fn problem(
        element: &str,
        attr: &str,
        value: &str,
        role: Option<&str>,
    ) -> Option<(String, String)> {
        let v = value.trim().to_ascii_lowercase();
        if attr == "role" {
            return (!valid_role(value)).then(|| {
                (
                    format!("`role=\"{value}\"` on <{element}> is not a role screen readers know: removed it"),
                    "a `role` is one of ARIA's roles (`note`, `region`, `img`, …); most elements need none".to_string(),
                )
            });
        }
        if !attr.starts_with("aria-") {
            return None;
        }
        if let Some((_, values)) = GLOBAL.iter().find(|(a, _)| *a == attr) {
            if let Some(values) = values
                && !values.contains(&v.as_str())
            {
                return Some((
                    format!(
                        "`{attr}=\"{value}\"` on <{element}> is not a value screen readers understand: removed it"
                    ),
                    format!(
                        "`{attr}` is one of {}",
                        values
                            .iter()
                            .map(|v| format!("`{v}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            let naming = matches!(
                attr,
                "aria-label" | "aria-labelledby" | "aria-roledescription"
            );
            let named_role = match role {
                Some(r) => r
                    .split_ascii_whitespace()
                    .next()
                    .is_some_and(|r| !UNNAMED_ROLES.contains(&r.to_ascii_lowercase().as_str())),
                None => NAMED_ELEMENTS.contains(&element),
            };
            if naming && !named_role {
                return Some((
                    format!("`{attr}` on <{element}>: screen readers do not read a name given to this element: removed it"),
                    "put the words in the text itself (or in `title`, shown as a tooltip); `aria-label` names links, pictures, sections and tables".to_string(),
                ));
            }
            return None;
        }
        if WIDGET.contains(&attr) {
            return role.is_none().then(|| {
                (
                    format!("`{attr}` on <{element}> describes a control (its state), and this element is none: removed it"),
                    "raw HTML runs no script to make a control: remove it, or use a component (a `details` for a section that opens)".to_string(),
                )
            });
        }
        Some((
            format!("`{attr}` on <{element}> is not an ARIA attribute: removed it"),
            "check the spelling against ARIA's list (`aria-label`, `aria-describedby`, `aria-hidden`, …)".to_string(),
        ))
    }
}

/// A media type (`application/pdf`, `text/html; charset=utf-8`), as the validator checks it.
fn mime_type(v: &str) -> bool {
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"!#$%&'*+.^_`|~-".contains(&c))
    };
    let (essence, params) = v.split_once(';').unwrap_or((v, ""));
    essence
        .split_once('/')
        .is_some_and(|(t, s)| token(t) && token(s))
        && params.split(';').all(|p| {
            let p = p.trim();
            p.is_empty()
                || p.split_once('=')
                    .is_some_and(|(k, v)| token(k) && !v.is_empty())
        })
}

/// The date and time values of the HTML standard (`datetime` of `<time>`, `<ins>`, `<del>`),
/// as the validator checks them.
mod datetime {
    fn digits(s: &str, n: usize) -> Option<u32> {
        (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    }

    fn month(s: &str) -> Option<(u32, u32)> {
        let (y, m) = s.split_once('-')?;
        let y = (y.len() >= 4).then(|| digits(y, y.len())).flatten()?;
        let m = digits(m, 2).filter(|m| (1..=12).contains(m))?;
        (y > 0).then_some((y, m))
    }

    fn date(s: &str) -> bool {
        let Some((ym, d)) = s.rsplit_once('-') else {
            return false;
        };
        let (Some((y, m)), Some(d)) = (month(ym), digits(d, 2)) else {
            return false;
        };
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
        let days = match m {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        (1..=days).contains(&d)
    }

    fn time(s: &str) -> bool {
        let mut parts = s.splitn(3, ':');
        let (Some(h), Some(m)) = (parts.next(), parts.next()) else {
            return false;
        };
        let sec_ok = match parts.next() {
            None => true,
            Some(sec) => {
                let (whole, frac) = sec.split_once('.').unwrap_or((sec, "1"));
                digits(whole, 2).is_some_and(|x| x < 60)
                    && (1..=3).contains(&frac.len())
                    && frac.bytes().all(|b| b.is_ascii_digit())
            }
        };
        digits(h, 2).is_some_and(|x| x < 24) && digits(m, 2).is_some_and(|x| x < 60) && sec_ok
    }

    fn zone(s: &str) -> bool {
        if s == "Z" {
            return true;
        }
        let Some(rest) = s.strip_prefix(['+', '-']) else {
            return false;
        };
        let (h, m) = rest
            .split_once(':')
            .unwrap_or((rest.get(..2).unwrap_or(""), rest.get(2..).unwrap_or("")));
        digits(h, 2).is_some_and(|x| x < 24) && digits(m, 2).is_some_and(|x| x < 60)
    }

    /// `date[T ]time`, and the zone after it if `zoned`.
    fn date_time(s: &str, zoned: bool) -> bool {
        let Some((d, rest)) = s.split_once(['T', ' ']) else {
            return false;
        };
        if !date(d) {
            return false;
        }
        if !zoned {
            return time(rest);
        }
        let at = rest.rfind(['Z', '+', '-']);
        at.is_some_and(|i| time(&rest[..i]) && zone(&rest[i..]))
    }

    fn duration(s: &str) -> bool {
        let iso = s.strip_prefix('P').is_some_and(|r| {
            !r.is_empty()
                && r.bytes()
                    .all(|b| b.is_ascii_digit() || b".DTHMSW".contains(&b))
                && r.bytes().any(|b| b.is_ascii_digit())
        });
        let spaced = !s.is_empty()
            && s.split_whitespace().all(|w| {
                w.len() > 1
                    && w[..w.len() - 1]
                        .bytes()
                        .all(|b| b.is_ascii_digit() || b == b'.')
                    && matches!(w.as_bytes()[w.len() - 1], b'w' | b'd' | b'h' | b'm' | b's')
            });
        iso || spaced
    }

    /// `<ins>` and `<del>`: a date, or a date and time with its zone.
    pub(super) fn valid_for_edit(s: &str) -> bool {
        date(s) || date_time(s, true)
    }

    /// `<time>`: also a month, a year, a yearless date, a week, a time, a local date and time,
    /// a zone or a duration.
    pub(super) fn valid_for_time(s: &str) -> bool {
        let week = s.split_once("-W").is_some_and(|(y, w)| {
            y.len() >= 4
                && digits(y, y.len()).is_some()
                && digits(w, 2).is_some_and(|w| (1..=53).contains(&w))
        });
        let yearless = s
            .strip_prefix("--")
            .is_some_and(|md| date(&format!("2000-{md}")));
        let year = s.len() >= 4 && digits(s, s.len()).is_some_and(|y| y > 0);
        valid_for_edit(s)
            || month(s).is_some()
            || year
            || yearless
            || week
            || time(s)
            || date_time(s, false)
            || zone(s)
            || duration(s)
    }
}

/// Heading elements by level.
const HEADINGS: [&str; 7] = ["", "h1", "h2", "h3", "h4", "h5", "h6"];

/// The level of a heading element's name (`h3`: 3).
fn heading_number(name: &str) -> Option<u8> {
    HEADINGS
        .iter()
        .position(|h| *h == name && !h.is_empty())
        .and_then(|n| u8::try_from(n).ok())
}

/// Write the end tag of `o` (the bytes taken out of `out` before it are returned), with the repairs its content needs (hostile tester: each was a
/// validator error): a `<dl>` whose last term has no description gets an empty `<dd>`; a
/// `<time>` without `datetime` whose text is not a date or time loses its tags (the text stays).
fn write_end(o: &Open, out: &mut String, removed: &mut Vec<Removal>) -> usize {
    if !o.named && heading_number(&o.name).is_some() {
        // Axe: a heading screen readers announce with nothing to say.
        removed.push(Removal::repaired(
            o.at,
            format!("this `<{}>` heading has no text", o.name),
            "write the heading's words between the tags, or remove the heading".into(),
        ));
    }
    let dl = o.name == "dl" || (o.name == "div" && o.kids & K_DL_GROUP != 0);
    if dl && o.kids & K_TERM != 0 {
        out.push_str("<dd></dd>");
        removed.push(Removal::repaired(
            o.at,
            format!("raw HTML: the last term (`<dt>`) of this `<{}>` has no description (`<dd>`) after it: added an empty one", o.name),
            "follow each `<dt>term</dt>` with its `<dd>description</dd>` (a list of terms alone is a `<ul>`)".into(),
        ));
    }
    if let Some((start, end)) = o.mark
        && o.name == "tr"
        && o.kids & K_CELL == 0
        && out.get(start..end).is_some_and(|t| t.starts_with("<tr"))
    {
        // A row with no cell: the validator rejects it, and it shows nothing.
        out.replace_range(start..end, "");
        removed.push(Removal::repaired(
            o.at,
            "raw HTML: a table row (`<tr>`) with no cell: removed it".into(),
            "give the row its cells, `<tr><td>…</td></tr>`, or remove it".into(),
        ));
        return end - start;
    }
    if let Some((start, end)) = o.mark
        && o.name == "time"
        && out.get(start..end).is_some_and(|t| t.starts_with("<time"))
        && let Some(inner) = out.get(end..)
    {
        let text = crate::escape::decode_entities(inner);
        if inner.contains('<') || !datetime::valid_for_time(&text) {
            let shown: String = text.chars().take(40).collect();
            let what = if inner.contains('<') {
                "raw HTML: a `<time>` without `datetime` may hold only a date or time, not other elements or markdown: removed the `<time>` tags (its content is kept)".to_string()
            } else if text.trim().is_empty() {
                "raw HTML: an empty `<time>` without `datetime`: removed it".to_string()
            } else {
                format!(
                    "raw HTML: `<time>{shown}</time>`: without `datetime`, the text of a `<time>` must be a date or time in the standard's form (`2021-06-30`): removed the `<time>` tags (the text is kept)"
                )
            };
            out.replace_range(start..end, "");
            removed.push(Removal::repaired(
                o.at,
                what,
                "give the date in `datetime`, the form computers read, and write the text as you like: `<time datetime=\"2021-06-30\">June 30</time>`".into(),
            ));
            return end - start;
        }
    }
    out.push_str("</");
    out.push_str(&o.name);
    out.push('>');
    0
}

/// The error for a raw `<a>` closed with nothing a screen reader can say (QA Q25; session 19:
/// a warning left the link on the page, announced as "link" with no name, and lmp cannot name it
/// without inventing words).
fn empty_link(o: &Open, removed: &mut Vec<Removal>) {
    if !o.named && o.name == "a" {
        removed.push(Removal {
            offset: o.at,
            what: "this link has no text a reader can click: a screen reader would say only \"link\"".into(),
            error: true,
            help: Some("write the words to click between `<a …>` and `</a>` (`<a href=\"/about/\">About the partnership</a>`), or describe its picture in `alt` (`<img src=\"…\" alt=\"About the partnership\">`), or remove the link".into()),
        });
    }
}

/// The error for a `<details>` whose first content is not a `<summary>`.
fn no_summary(at: usize) -> Removal {
    Removal {
        offset: at,
        what: "`<details>` without a `<summary>` first".into(),
        error: true,
        help: Some("put `<summary>What it is about</summary>` right after `<details>`: it is the line readers click to open it".into()),
    }
}

/// Characters that cannot appear in a page (vnu rejects them): NUL, other C0 and C1 controls
/// but tab, line feed, form feed and carriage return, and non-characters.
pub(crate) fn bad_char(c: char) -> bool {
    let n = c as u32;
    (n < 0x20 && !matches!(c, '\t' | '\n' | '\u{c}' | '\r'))
        || (0x7f..=0x9f).contains(&n)
        || (0xfdd0..=0xfdef).contains(&n)
        || (n & 0xfffe) == 0xfffe
}

/// Whether `s` has a character [`bad_char`] is true of, as `s.contains(bad_char)` tells, byte by
/// byte: a character is decoded only where its first byte may start a bad one (a C0 control,
/// DEL, `0xC2` of a C1 control, `0xEF` of U+FDD0–U+FDEF and U+FFFE–U+FFFF, a 4-byte
/// character's lead). Every text of every page is checked: decoding each character cost
/// Spanish text (an accent every few dozen bytes) twice what English costs per byte.
pub(crate) fn has_bad_char(s: &str) -> bool {
    static SUSPECT: [bool; 256] = {
        let mut t = [false; 256];
        let mut b = 0;
        while b < 256 {
            t[b] = matches!(b, 0x00..=0x08 | 0x0b | 0x0e..=0x1f | 0x7f | 0xc2 | 0xef | 0xf0..=0xf4);
            b += 1;
        }
        t
    };
    // A suspect byte is ASCII or a first byte, never inside a character: `i` is a boundary.
    let b = s.as_bytes();
    let suspect_at = |i: usize| {
        SUSPECT[usize::from(b[i])]
            && s.get(i..)
                .and_then(|r| r.chars().next())
                .is_some_and(bad_char)
    };
    // Eight bytes at a time: a word with no suspect byte (most of any text, in English and
    // in Spanish alike) is not looked at byte by byte. Before, any byte from 0x80 sent the word
    // byte by byte: Spanish text, an accent every few dozen bytes, cost 2.3 times English per
    // byte here (issue 16).
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let printable = |x: u64| {
        // Exact for "some byte is below 0x20" / "some byte is 0x7F" (a borrow only follows
        // such a byte), and the top bit for 0x80 and above.
        let below = x.wrapping_sub(ONES * 0x20) & !x;
        let del = x ^ (ONES * 0x7f);
        let del = del.wrapping_sub(ONES) & !del;
        (below | del | x) & HIGH == 0
    };
    // A word that is not printable ASCII: whether one of its bytes may be suspect, each test
    // exact for "some byte is" (as above). Spanish text's words with an accent (0xC3 and a
    // byte from 0x80) are not.
    let zero = |x: u64| x.wrapping_sub(ONES) & !x;
    let may_be_suspect = |x: u64| {
        let below = x.wrapping_sub(ONES * 0x20) & !x;
        // A byte from 0xF0: its top four bits set.
        let lead4 = x & (x << 1) & (x << 2) & (x << 3);
        (below
            | zero(x ^ (ONES * 0x7f))
            | zero(x ^ (ONES * 0xc2))
            | zero(x ^ (ONES * 0xef))
            | lead4)
            & HIGH
            != 0
    };
    let mut i = 0;
    while let Some(word) = b.get(i..i + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        let x = u64::from_le_bytes(w);
        if !printable(x) && may_be_suspect(x) && (i..i + 8).any(suspect_at) {
            return true;
        }
        i += 8;
    }
    (i..b.len()).any(suspect_at)
}

/// Copy text, replacing characters that cannot appear in a page and numeric character
/// references to them (`&#0;`, `&#xD800;`, `&#x110000;`) with U+FFFD, as browsers show them.
fn push_text(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(p) = rest.find(|c: char| c == '&' || bad_char(c)) {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        if !rest.starts_with('&') {
            out.push('\u{fffd}');
            let len = rest.chars().next().map_or(1, char::len_utf8);
            rest = &rest[len..];
            continue;
        }
        let b = rest.as_bytes();
        if b.get(1) != Some(&b'#') {
            out.push('&');
            rest = &rest[1..];
            continue;
        }
        let hex = matches!(b.get(2), Some(b'x' | b'X'));
        let from = if hex { 3 } else { 2 };
        let end = rest[from..]
            .find(|c: char| {
                if hex {
                    !c.is_ascii_hexdigit()
                } else {
                    !c.is_ascii_digit()
                }
            })
            .map_or(rest.len(), |e| e + from);
        let digits = &rest[from..end];
        if digits.is_empty() {
            out.push('&');
            rest = &rest[1..];
            continue;
        }
        let value = if hex {
            u32::from_str_radix(digits, 16).ok()
        } else {
            digits.parse::<u32>().ok()
        };
        let semi = usize::from(rest.as_bytes().get(end) == Some(&b';'));
        match value.and_then(char::from_u32) {
            Some(c) if !bad_char(c) && c != '\r' => out.push_str(&rest[..end + semi]),
            _ => out.push('\u{fffd}'),
        }
        rest = &rest[end + semi..];
    }
    out.push_str(rest);
}

/// QA Q121: with `markdown.unsafe_html: true` raw HTML is copied as written, but an `<img>`
/// without `alt` is still reported (issue 14: raw `<img>` goes through the same alt check as a
/// markdown image, whatever the setting). Reads the pieces pulldown-cmark hands over in order,
/// keeping what spans them: a comment, and the text of `script`, `style` and the other
/// elements whose content is not markup (an `<img` written inside them is not an image).
#[derive(Debug, Default)]
pub(crate) struct AltScan {
    in_comment: bool,
    raw_text: Option<&'static str>,
}

impl AltScan {
    /// The offsets in `html` of the `<img>` tags that have no `alt` attribute.
    pub(crate) fn missing_alt(&mut self, html: &str) -> Vec<usize> {
        const RAW_TEXT: [&str; 7] = [
            "script", "style", "textarea", "title", "xmp", "noscript", "template",
        ];
        let mut found = Vec::new();
        let mut i = 0;
        while i < html.len() {
            if self.in_comment {
                match html[i..].find("-->") {
                    Some(e) => {
                        i += e + 3;
                        self.in_comment = false;
                    }
                    None => break,
                }
                continue;
            }
            if let Some(name) = self.raw_text {
                let close = html[i..]
                    .match_indices("</")
                    .map(|(j, _)| i + j)
                    .find(|&j| {
                        html.get(j + 2..j + 2 + name.len())
                            .is_some_and(|n| n.eq_ignore_ascii_case(name))
                    });
                match close {
                    Some(j) => {
                        i = j + 2 + name.len();
                        self.raw_text = None;
                    }
                    None => break,
                }
                continue;
            }
            let Some(lt) = html[i..].find('<') else {
                break;
            };
            i += lt;
            let rest = &html[i..];
            if rest.starts_with("<!--") {
                self.in_comment = true;
                i += 4;
                continue;
            }
            match parse_tag(rest) {
                Some(tag) => {
                    if !tag.end {
                        if tag.name.eq_ignore_ascii_case("img")
                            && !tag.attrs.iter().any(|(a, _)| a.eq_ignore_ascii_case("alt"))
                        {
                            found.push(i);
                        }
                        if !tag.self_closing {
                            self.raw_text = RAW_TEXT
                                .into_iter()
                                .find(|r| tag.name.eq_ignore_ascii_case(r));
                        }
                    }
                    i += tag.len;
                }
                None => i += 1,
            }
        }
        found
    }
}

/// A parsed start or end tag.
struct Tag<'a> {
    name: &'a str,
    end: bool,
    self_closing: bool,
    attrs: Vec<(&'a str, Option<&'a str>)>,
    /// Bytes from `<` to `>` inclusive.
    len: usize,
}

/// Parse a tag at the start of `s` (which starts with `<`); `None` when it is not a whole tag.
fn parse_tag(s: &str) -> Option<Tag<'_>> {
    let b = s.as_bytes();
    let mut i = 1;
    let end = b.get(i) == Some(&b'/');
    if end {
        i += 1;
    }
    let name_start = i;
    if !b.get(i)?.is_ascii_alphabetic() {
        return None;
    }
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-') {
        i += 1;
    }
    let name = &s[name_start..i];
    let mut attrs = Vec::new();
    let mut self_closing = false;
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        match b.get(i)? {
            b'>' => {
                return Some(Tag {
                    name,
                    end,
                    self_closing,
                    attrs,
                    len: i + 1,
                });
            }
            b'/' => {
                self_closing = true;
                i += 1;
                continue;
            }
            _ => {}
        }
        self_closing = false;
        let a_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            if matches!(b[i], b'"' | b'\'' | b'<') {
                return None;
            }
            i += 1;
        }
        let attr = &s[a_start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if b.get(i) == Some(&b'=') {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let value = match b.get(i)? {
                q @ (b'"' | b'\'') => {
                    let close = s[i + 1..].find(*q as char)?;
                    let v = &s[i + 1..i + 1 + close];
                    i += close + 2;
                    v
                }
                _ => {
                    let v_start = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    &s[v_start..i]
                }
            };
            attrs.push((attr, Some(value)));
        } else {
            attrs.push((attr, None));
        }
    }
}

/// The scheme of an unsafe URL, lower-cased, for messages (`javascript`).
pub(crate) fn scheme_of(url: &str) -> String {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    cleaned.split(':').next().unwrap_or("").to_ascii_lowercase()
}

/// Whether a value read as a URL leads off the page's own site or runs something: it has a
/// scheme (`https:`, `javascript:`) or starts with `//` (another host), once the tabs, line
/// breaks, spaces and control characters browsers ignore are gone.
fn leaves_the_page(value: &str) -> bool {
    let cleaned: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    if cleaned.starts_with("//")
        || cleaned.starts_with("\\\\")
        || cleaned.starts_with("/\\")
        || cleaned.starts_with("\\/")
    {
        return true;
    }
    let end = cleaned.find([':', '/', '?', '#']);
    end.is_some_and(|p| {
        cleaned.as_bytes().get(p) == Some(&b':')
            && cleaned[..p].starts_with(|c: char| c.is_ascii_alphabetic())
            && cleaned[..p]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    })
}

/// A URL is safe when it has no scheme (relative, `/`, `#`, `?`) or one of http, https, mailto,
/// tel. Control characters and whitespace are ignored, as browsers do.
pub(crate) fn safe_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    let scheme_end = cleaned.find([':', '/', '?', '#']);
    match scheme_end {
        Some(p) if cleaned.as_bytes().get(p) == Some(&b':') => {
            let scheme = cleaned[..p].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel")
        }
        _ => true,
    }
}

/// The body offset of offset `i` of raw HTML gathered from pieces: `starts` maps each piece's
/// offset in the HTML to its offset in the body (in order; the first at 0).
pub(crate) fn body_offset(starts: &[(usize, usize)], i: usize) -> usize {
    starts
        .iter()
        .rev()
        .find(|(from, _)| *from <= i)
        .map_or(i, |(from, at)| at + (i - from))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`has_bad_char`] tells what `contains(bad_char)` tells: every character alone and
    /// between others, and random texts of controls, accents, non-characters and the
    /// characters next to them.
    #[test]
    fn bad_characters_are_found_byte_by_byte_as_char_by_char() {
        for n in 0..=0x10FFFF_u32 {
            let Some(c) = char::from_u32(n) else { continue };
            for s in [
                c.to_string(),
                format!("añ{c}z"),
                format!("{c}é"),
                // Read eight bytes at a time: at each place in a word, and after one.
                format!("{}{c}{}", "x".repeat(n as usize % 17), "é".repeat(5)),
            ] {
                assert_eq!(has_bad_char(&s), s.contains(bad_char), "U+{n:04X} in {s:?}");
            }
        }
        let texts = crate::util::random_texts(
            "a é\u{0}\t\n\u{b}\u{c}\r\u{1f}\u{7f}\u{80}\u{9f}\u{a0}\u{fdcf}\u{fdd0}\u{fdef}\u{fdf0}\u{fffd}\u{fffe}\u{ffff}\u{1fffe}\u{10ffff}\u{10fffd}ñ€",
            0x9E37_79B9_7F4A_7C15,
            50_000,
        );
        for s in &texts {
            assert_eq!(has_bad_char(s), s.contains(bad_char), "{s:?}");
        }
    }

    /// The element table is sorted (it is searched by halves) and each element's properties
    /// agree: a void element holds nothing, so it is neither text-only nor has an end tag to
    /// leave out; what closes a `<p>` is a block.
    #[test]
    fn the_element_table_is_sorted_and_consistent() {
        assert!(TAGS.windows(2).all(|w| w[0].0 < w[1].0));
        for (name, p) in TAGS {
            if p & VOID != 0 {
                assert_eq!(p & (TEXT_ONLY | OPTIONAL_END), 0, "{name}");
            }
            if p & CLOSES_P != 0 {
                assert_ne!(p & BLOCK, 0, "{name}");
            }
        }
        assert!(is("img", VOID) && is("p", TEXT_ONLY | BLOCK | CLOSES_P | OPTIONAL_END));
        assert!(!is("script", NONE) && is("a", NONE));
        // Facts of the HTML standard's content models, independent of the table's code.
        for n in [
            "span", "em", "strong", "b", "i", "code", "q", "h1", "h6", "summary",
        ] {
            assert!(is(n, TEXT_ONLY), "{n} holds only text-level content");
        }
        for n in [
            "div",
            "table",
            "ul",
            "ol",
            "dl",
            "blockquote",
            "section",
            "details",
            "hr",
        ] {
            assert!(is(n, BLOCK | CLOSES_P), "{n} is a block that closes <p>");
            assert!(!is(n, TEXT_ONLY), "{n} may hold blocks");
        }
        for n in ["li", "td", "th", "tr", "dt", "dd"] {
            assert!(is(n, BLOCK | OPTIONAL_END) && !is(n, CLOSES_P), "{n}");
        }
        for n in ["a", "ins", "del"] {
            assert!(
                !is(n, TEXT_ONLY) && !is(n, BLOCK),
                "{n} takes its parent's content"
            );
        }
        for n in ["br", "col", "hr", "img", "wbr"] {
            assert!(is(n, VOID), "{n} is void");
        }
    }

    fn clean(html: &str) -> (String, Vec<String>) {
        let mut s = Sanitizer::default();
        let mut out = String::new();
        let mut removed = Vec::new();
        s.clean(html, 0, &mut out, &mut removed);
        (out, removed.into_iter().map(|r| r.what).collect())
    }

    #[test]
    fn scripts_styles_iframes_are_removed_with_content() {
        let (out, removed) = clean(
            "<p>a</p><script>alert(1)</script><style>p{}</style><iframe src=\"https://x\"></iframe><p>b</p>",
        );
        assert_eq!(out, "<p>a</p><p>b</p>");
        assert_eq!(removed.len(), 3, "{removed:?}");
        assert!(removed[0].contains("<script>"));
    }

    #[test]
    fn event_handlers_style_and_javascript_urls_are_removed() {
        let (out, removed) = clean(
            "<a href=\"javascript:alert(1)\" onclick=\"x()\" style=\"color:red\" class=\"k\">x</a>",
        );
        assert_eq!(out, "<a class=\"k\">x</a>");
        assert_eq!(removed.len(), 3, "{removed:?}");
        let (out, removed) = clean("<a href=\"java&#115;cript&colon;alert(1)\">x</a>");
        assert_eq!(out, "<a>x</a>");
        assert!(removed[0].contains("javascript:"), "{removed:?}");
        let (out, _) = clean("<a href=\" JaVa\tScRiPt:alert(1)\">x</a>");
        assert_eq!(out, "<a>x</a>");
        // An image left without an address goes (`<img alt="">` is not valid HTML).
        let (out, removed) = clean("<img alt=\"\" src=\"data:image/svg+xml,x\">");
        assert_eq!(out, "");
        assert!(removed[1].contains("without an address"), "{removed:?}");
    }

    #[test]
    fn allowed_markup_is_kept_and_rewritten_safely() {
        let (out, removed) = clean(
            "<details open><summary>More</summary><a href=\"/x/?a=1&amp;b=2\" title='say \"hi\"'>x</a></details>",
        );
        assert!(removed.is_empty(), "{removed:?}");
        assert_eq!(
            out,
            "<details open><summary>More</summary><a href=\"/x/?a=1&amp;b=2\" title=\"say &quot;hi&quot;\">x</a></details>"
        );
    }

    #[test]
    fn unknown_tags_go_but_their_text_stays() {
        let (out, removed) = clean("<form action=\"/x\"><button>Go</button></form> 1 < 2 > 0");
        assert_eq!(out, "Go 1 &lt; 2 &gt; 0");
        assert_eq!(removed.len(), 2);
    }

    #[test]
    fn img_without_alt_is_reported() {
        let mut s = Sanitizer::default();
        let (mut out, mut removed) = (String::new(), Vec::new());
        s.clean("<img src=\"/a.png\">", 10, &mut out, &mut removed);
        assert_eq!(out, "<img src=\"/a.png\">");
        assert_eq!(removed.len(), 1);
        assert!(removed[0].error);
        assert_eq!(removed[0].offset, 10);
    }

    #[test]
    fn state_carries_across_pieces() {
        let mut s = Sanitizer::default();
        let (mut out, mut removed) = (String::new(), Vec::new());
        s.clean("<script>", 0, &mut out, &mut removed);
        assert!(s.skipping());
        s.clean("alert(1)", 0, &mut out, &mut removed);
        s.clean("</script>", 0, &mut out, &mut removed);
        assert!(!s.skipping());
        s.clean("<!-- a", 0, &mut out, &mut removed);
        s.clean("b --><b>x</b>", 0, &mut out, &mut removed);
        assert_eq!(out, "<b>x</b>");
    }

    #[test]
    fn broken_tags_are_text() {
        let (out, _) = clean("<a href=\"x\" <script>alert(1)</script>");
        assert!(!out.contains("<script"), "{out}");
        let (out, _) = clean("<scr<script>ipt>alert(1)</script>");
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("alert"), "{out}");
    }

    /// The hostile review: each vector must come out with nothing a browser would run or load
    /// from a script URL. `dangerous` lists what must not survive (lower-cased output).
    fn assert_defused(html: &str, dangerous: &[&str]) {
        let (out, _) = clean(html);
        let lower = out.to_ascii_lowercase();
        // Text is harmless (every `<` in it is escaped); the tags we write are what matters.
        let tags: Vec<&str> = lower
            .match_indices('<')
            .map(|(i, _)| &lower[i..lower[i..].find('>').map_or(lower.len(), |e| i + e + 1)])
            .collect();
        for d in dangerous {
            assert!(
                !tags.iter().any(|t| t.contains(d)),
                "{html:?} let {d:?} through: {out:?}"
            );
        }
        // Whatever came out, every `<` starts a tag we wrote ourselves.
        for (i, _) in out.match_indices('<') {
            let rest = &lower[i + 1..];
            let name: String = rest
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            assert!(
                props(&name).is_some(),
                "{html:?} gave a <{name}> tag: {out:?}"
            );
        }
    }

    #[test]
    fn hostile_event_handlers_in_every_form() {
        for v in [
            "<img src=x alt=\"\" onerror=alert(1)>",
            "<img src=x alt=\"\" ONERROR=\"alert(1)\">",
            "<img src=x alt=\"\"/onerror=alert(1)>",
            "<img src=x alt=\"\" onerror\t=\talert(1)>",
            "<details open ontoggle=alert(1)>x</details>",
            "<a href=/x onmouseover='alert(1)'>x</a>",
            "<p title=\"a\"onclick=\"alert(1)\">x</p>",
            "<div data-x=1 onfocus=alert(1) autofocus tabindex=0>x</div>",
        ] {
            assert_defused(
                v,
                &[
                    "onerror",
                    "ontoggle",
                    "onmouseover",
                    "onclick",
                    "onfocus",
                    "autofocus",
                ],
            );
        }
    }

    #[test]
    fn hostile_script_urls_in_every_url_attribute() {
        for attr in [
            "a href",
            "img alt=\"\" src",
            "img alt=\"\" srcset",
            "blockquote cite",
            "q cite",
            "del cite",
            "ins cite",
        ] {
            for url in [
                "javascript:alert(1)",
                "JaVaScRiPt:alert(1)",
                " \tjavascript:alert(1)",
                "java\nscript:alert(1)",
                "java&#115;cript:alert(1)",
                "java&#x73;cript&#x3A;alert(1)",
                "java&#0000115cript:alert(1)",
                "javascript&colon;alert(1)",
                "java&Tab;script:alert(1)",
                "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
                "vbscript:msgbox(1)",
                "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
                "DATA:image/svg+xml,<svg onload=alert(1)>",
            ] {
                for q in ["\"", "'", ""] {
                    if q.is_empty() && url.contains(char::is_whitespace) {
                        continue;
                    }
                    let v = format!("<{attr}={q}{url}{q}>x");
                    assert_defused(&v, &["javascript", "vbscript", "data:", "onload"]);
                }
            }
        }
        // A srcset whose second candidate is the bad one.
        assert_defused(
            "<img alt=\"\" srcset=\"/a.png 1x, javascript:alert(1) 2x\">",
            &["javascript"],
        );
    }

    #[test]
    fn hostile_elements_go_with_their_content() {
        for v in [
            "<svg onload=alert(1)><script>alert(1)</script></svg>",
            "<svg/onload=alert(1)>",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mtext></math>",
            "<style>@import 'javascript:alert(1)'; body{background:url(javascript:alert(1))}</style>",
            "<ScRiPt>alert(1)</sCrIpT>",
            "<script src=//evil.example/x.js></script>",
            "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
            "<object data=\"javascript:alert(1)\"></object>",
            "<embed src=\"javascript:alert(1)\">",
            "<template><script>alert(1)</script></template>",
            "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
        ] {
            assert_defused(
                v,
                &[
                    "alert(1)", "script", "svg", "math", "style", "iframe", "object", "embed",
                    "onerror",
                ],
            );
        }
    }

    #[test]
    fn hostile_base_form_meta_link_go() {
        for v in [
            "<base href=\"https://evil.example/\">",
            "<form action=\"https://evil.example/\"><input name=pw><button formaction=javascript:alert(1)>Go</button></form>",
            "<meta http-equiv=\"refresh\" content=\"0; url=javascript:alert(1)\">",
            "<link rel=stylesheet href=\"https://evil.example/x.css\">",
            "<a href=/x target=_blank rel=opener>x</a>",
            "<isindex action=javascript:alert(1)>",
        ] {
            assert_defused(
                v,
                &[
                    "evil.example",
                    "javascript",
                    "refresh",
                    "formaction",
                    "target",
                ],
            );
        }
    }

    #[test]
    fn hostile_unclosed_tags_comments_and_cdata() {
        for v in [
            "<a href=\"javascript:alert(1)\"",
            "<img src=x alt=\"\" onerror=\"alert(1)",
            "<script>alert(1)",
            "<!-- <script>alert(1)</script> -->",
            "<!-- --!><script>alert(1)</script> -->",
            "<!--><script>alert(1)</script> -->",
            "<!---->x<!-- a -- b --><img src=x onerror=alert(1)>",
            "<![CDATA[<script>alert(1)</script>]]>",
            "<![CDATA[><img src=x onerror=alert(1)>]]>",
            "<?xml version=\"1.0\"?><img src=x onerror=alert(1)>",
            "<!DOCTYPE html><img src=x onerror=alert(1)>",
            "<<script>alert(1)//<</script>",
            "<scr<script>ipt>alert(1)</scr</script>ipt>",
            "</script><script>alert(1)</script>",
            "<a href=\"/x\" <img src=x onerror=alert(1)>",
        ] {
            assert_defused(v, &["<script", "onerror", "javascript"]);
        }
    }

    #[test]
    fn hostile_nul_and_odd_bytes() {
        for v in [
            "<scr\0ipt>alert(1)</scr\0ipt>",
            "<a href=\"java\0script:alert(1)\">x</a>",
            "<a href=\"\u{1}javascript:alert(1)\">x</a>",
            "<img src=x alt=\"\" on\0error=alert(1)>",
            "<a\0href=javascript:alert(1)>x</a>",
            "<a href=\"\u{feff}javascript:alert(1)\">x</a>",
        ] {
            assert_defused(v, &["<script", "javascript", "onerror", "on\0error"]);
        }
    }

    #[test]
    fn hostile_attribute_quoting_cannot_break_out() {
        for v in [
            "<a href=/x\"onclick=alert(1)//>x</a>",
            "<a title='x\" onclick=\"alert(1)'>x</a>",
            "<a title=x`onclick=alert(1)>x</a>",
            "<p class=\"a&quot; onclick=&quot;alert(1)\">x</p>",
            "<img alt=\"x\" title=\"a\" title=\"javascript:alert(1)\" src=\"/a.png\">",
        ] {
            let (out, _) = clean(v);
            // The only attributes written are the allowed ones, each quoted by us.
            for part in out.split('<').skip(1) {
                let tag = part.split('>').next().unwrap_or("");
                let mut in_quote = false;
                let mut outside = String::new();
                for c in tag.chars() {
                    if c == '"' {
                        in_quote = !in_quote;
                    } else if !in_quote {
                        outside.push(c);
                    }
                }
                assert!(!outside.contains("onclick"), "{v:?} gave {out:?}");
            }
        }
    }

    /// QA Q34: raw HTML dressed as the theme's video facade must not hand its script an
    /// address to load (`javascript:` ran on the site's origin; another site's page was framed).
    #[test]
    fn hostile_data_attributes_cannot_feed_theme_scripts() {
        for v in [
            "javascript:parent.alert(1)",
            "https://evil.example/phish.html",
            "//evil.example/x",
            " \tJaVa&#x53;cript:alert(1)",
            "\\\\evil.example/x",
            "data:text/html,<script>alert(1)</script>",
        ] {
            let html = format!(
                "<div class=\"player player-facade\" data-player=\"{v}\" data-title=\"Our video\"><a class=\"facade\" href=\"https://www.youtube.com/watch?v=abc\">Play</a></div>"
            );
            let (out, removed) = clean(&html);
            assert!(!out.contains("data-player"), "{v}: {out}");
            assert!(out.contains("data-title=\"Our video\""), "{v}: {out}");
            assert_eq!(
                removed,
                ["`data-player` holding an address on <div>"],
                "{v}"
            );
        }
        // Data that is not an address stays.
        let (out, removed) = clean("<span data-time=\"10:30\" data-n=\"/stories/x/\">t</span>");
        assert_eq!(
            out,
            "<span data-time=\"10:30\" data-n=\"/stories/x/\">t</span>"
        );
        assert!(removed.is_empty(), "{removed:?}");
    }

    #[test]
    fn hostile_nested_links_keep_no_bad_url() {
        let (out, removed) = clean("<a href=\"/ok\"><a href=\"javascript:alert(1)\">x</a></a>");
        // The inner link goes (a link in a link is invalid HTML), and its URL with it.
        assert_eq!(out, "<a href=\"/ok\">x</a>");
        assert_eq!(removed.len(), 1);
    }
}
