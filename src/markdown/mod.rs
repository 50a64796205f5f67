//! Markdown rendering: one pass of pulldown-cmark per document produces everything the rest of the
//! pipeline needs — the HTML, the table of contents, unique heading ids, the plain text (whole and
//! per section, for the search index), and the outgoing links with their positions.
//!
//! CONTRACT (the rest of the crate relies on these signatures):
//! `render(body, resolve) -> Rendered`. `resolve` is called for every relative link whose path ends in
//! `.md` (e.g. `../guides/find-tools.md`, fragment stripped) and returns the target's URL, or `None`
//! when no such document exists. Line/col in [`Link`] are 1-based and relative to `body`.

/// A heading in the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// A part of the document between two headings, for the search index. The first section (text
/// before any heading) has `anchor: None` and an empty heading.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Section {
    pub anchor: Option<String>,
    pub heading: String,
    pub text: String,
}

/// What kind of link a [`Link`] is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkKind {
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
pub struct Link {
    pub dest: String,
    pub kind: LinkKind,
    pub is_image: bool,
    pub line: usize,
    pub col: usize,
}

/// The result of rendering one document's body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub text: String,
    pub sections: Vec<Section>,
    pub links: Vec<Link>,
    /// Every id an anchor may point at on this page (headings and footnotes).
    pub ids: Vec<String>,
    pub has_code: bool,
    pub word_count: usize,
}

/// Render a markdown body. See the module docs for the contract.
pub fn render(body: &str, resolve: &dyn Fn(&str) -> Option<String>) -> Rendered {
    // Placeholder until the full renderer lands: plain paragraphs, no links.
    let _ = resolve;
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(body));
    Rendered {
        html,
        text: body.to_string(),
        ..Default::default()
    }
}
