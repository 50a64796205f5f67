//! The LMP collections: their folders, URLs, schemas (fields, types, required or not, allowed
//! values) and the typed struct each document's front matter becomes.

use serde::Deserialize;

use crate::content::taxonomy::Taxonomy;
use crate::util::Date;

/// A content collection. The folder under `site/` decides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Collection {
    Stories,
    Guides,
    Practices,
    Tools,
    Videos,
    Research,
    Regions,
    Pages,
    /// `site/index.md`: the home page's own text.
    Home,
    /// A collection defined in `config.yaml` under `collections:`.
    Custom(&'static CustomDef),
}

/// A collection defined in config: its folder name, labels and fields (besides the common ones).
/// Interned for the process (see [`intern_def`]), so `Collection` stays `Copy` like the built-in ones.
#[derive(Debug)]
pub struct CustomDef {
    pub name: &'static str,
    pub singular: &'static str,
    pub label: &'static str,
    pub plural: &'static str,
    pub fields: Vec<Field>,
}

impl PartialEq for CustomDef {
    fn eq(&self, o: &Self) -> bool {
        self.name == o.name
    }
}
impl Eq for CustomDef {}
impl PartialOrd for CustomDef {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for CustomDef {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.name.cmp(o.name)
    }
}
impl std::hash::Hash for CustomDef {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.name.hash(h)
    }
}

/// The schemas of a site: the built-in collections, the fields config adds to them, and the
/// collections config defines.
#[derive(Debug, Clone, Default)]
pub(crate) struct Schemas {
    /// Extra fields per built-in collection.
    pub extra: Vec<(Collection, Vec<Field>)>,
    /// Collections defined in config.
    pub custom: Vec<Collection>,
    /// The codes of the site's languages, the default first (empty: only `en`). A document
    /// file `name.<code>.md` of a language after the first is a translation of `name.md`.
    pub langs: Vec<String>,
}

impl Schemas {
    /// Every collection with documents in folders, built-in first.
    pub(crate) fn all(&self) -> Vec<Collection> {
        let mut v = ALL.to_vec();
        v.extend(self.custom.iter().copied());
        v
    }

    pub(crate) fn by_folder(&self, name: &str) -> Option<Collection> {
        self.all().into_iter().find(|c| c.name() == name)
    }

    pub(crate) fn by_singular_or_plural(&self, s: &str) -> Option<Collection> {
        self.all()
            .into_iter()
            .find(|c| c.name() == s || c.singular() == s)
    }

    /// Every field a document of the collection accepts.
    pub(crate) fn fields(&self, c: Collection) -> Vec<Field> {
        let mut f = c.fields();
        if let Some((_, extra)) = self.extra.iter().find(|(x, _)| *x == c) {
            f.extend(extra.iter().copied());
        }
        f
    }

    /// The default language's code.
    pub(crate) fn default_lang(&self) -> &str {
        self.langs.first().map(String::as_str).unwrap_or("en")
    }

    /// Whether `code` is a declared language other than the default one.
    pub(crate) fn is_translation_lang(&self, code: &str) -> bool {
        self.langs.iter().skip(1).any(|l| l == code)
    }

    /// Whether a field is one of config's additions (its value goes to `doc.extra`).
    pub(crate) fn is_extra(&self, c: Collection, name: &str) -> bool {
        matches!(c, Collection::Custom(_))
            && !Collection::Custom(&BLANK)
                .fields()
                .iter()
                .any(|f| f.name == name)
            || self
                .extra
                .iter()
                .any(|(x, fs)| *x == c && fs.iter().any(|f| f.name == name))
    }
}

static BLANK: CustomDef = CustomDef {
    name: "",
    singular: "",
    label: "",
    plural: "",
    fields: Vec::new(),
};

pub(crate) const ALL: [Collection; 8] = [
    Collection::Stories,
    Collection::Guides,
    Collection::Practices,
    Collection::Tools,
    Collection::Videos,
    Collection::Research,
    Collection::Regions,
    Collection::Pages,
];

impl Collection {
    /// Folder and URL segment: `stories`.
    pub fn name(self) -> &'static str {
        match self {
            Collection::Stories => "stories",
            Collection::Guides => "guides",
            Collection::Practices => "practices",
            Collection::Tools => "tools",
            Collection::Videos => "videos",
            Collection::Research => "research",
            Collection::Regions => "regions",
            Collection::Pages => "pages",
            Collection::Home => "home",
            Collection::Custom(d) => d.name,
        }
    }

    /// `story` (for `lmp new story`).
    pub fn singular(self) -> &'static str {
        match self {
            Collection::Stories => "story",
            Collection::Guides => "guide",
            Collection::Practices => "practice",
            Collection::Tools => "tool",
            Collection::Videos => "video",
            Collection::Research => "research",
            Collection::Regions => "region",
            Collection::Pages => "page",
            Collection::Home => "home",
            Collection::Custom(d) => d.singular,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Collection::Stories => "Story",
            Collection::Guides => "How-to guide",
            Collection::Practices => "Practice",
            Collection::Tools => "Tool",
            Collection::Videos => "Video",
            Collection::Research => "Research",
            Collection::Regions => "Region",
            Collection::Pages => "Page",
            Collection::Home => "Home",
            Collection::Custom(d) => d.label,
        }
    }

    pub fn plural_label(self) -> &'static str {
        match self {
            Collection::Stories => "Stories",
            Collection::Guides => "How-to guides",
            Collection::Practices => "Team-tested practices",
            Collection::Tools => "Tools",
            Collection::Videos => "Videos",
            Collection::Research => "Outside research",
            Collection::Regions => "Regions",
            Collection::Pages => "Pages",
            Collection::Home => "Home",
            Collection::Custom(d) => d.plural,
        }
    }

    /// Whether the collection gets a paginated list page (`/stories/`). Regions get the regions
    /// page instead; pages have none.
    pub fn has_list(self) -> bool {
        !matches!(
            self,
            Collection::Regions | Collection::Pages | Collection::Home
        )
    }

    /// Site-relative URL of a document with this slug.
    pub fn url_for(self, slug: &str) -> String {
        match self {
            Collection::Pages => format!("/{slug}/"),
            Collection::Home => "/".to_string(),
            c => format!("/{}/{slug}/", c.name()),
        }
    }

    /// The template that renders one document.
    pub fn template(self) -> &'static str {
        match self {
            Collection::Stories => "story.html",
            Collection::Guides => "guide.html",
            Collection::Practices => "practice.html",
            Collection::Tools => "tool.html",
            Collection::Videos => "video.html",
            Collection::Research => "research.html",
            Collection::Regions => "region.html",
            Collection::Pages => "page.html",
            Collection::Home => "home.html",
            // A theme may have `<singular>.html`; the renderer falls back to page.html.
            Collection::Custom(_) => "page.html",
        }
    }

    /// The schema: every field this collection accepts, in order (the scaffold of `lmp new` and
    /// the field tables of `docs/content-model.md` follow it). This table is the one place a field
    /// is declared: validation checks documents against it, the collection's struct below must
    /// name the same fields (a test checks), and the docs' tables are generated from it.
    pub fn fields(self) -> Vec<Field> {
        use FieldType::*;
        let f = |name, ty, required, help| Field {
            name,
            ty,
            required,
            help,
        };
        let mut v = vec![
            f("title", Str, true, "The title, one line."),
            f("slug", Slug, false, "The URL name; default the file name."),
            f(
                "draft",
                Bool,
                false,
                "`true`: left out of builds (`--drafts` shows it).",
            ),
            f(
                "publish_date",
                Date,
                false,
                "Left out of builds before this date.",
            ),
            f(
                "expiry_date",
                Date,
                false,
                "Left out of builds after this date; links to it warn 30 days ahead.",
            ),
            f(
                "aliases",
                Aliases,
                false,
                "Old URLs that redirect here (`/old/path/`).",
            ),
            f(
                "weight",
                Int,
                false,
                "Orders documents that share a date (lower first).",
            ),
            f(
                "reviewed",
                Date,
                false,
                "When an editor last checked the page (\"Last reviewed\").",
            ),
            f(
                "translation_of",
                Slug,
                false,
                "A translation with a file name of its own: the original's file name, without `.md`.",
            ),
        ];
        let specific: Vec<Field> = match self {
            Collection::Stories => vec![
                f("date", Date, true, DATE),
                f("summary", Str, true, SUMMARY),
                f("updated", Date, false, UPDATED),
                f("author", Str, false, "Who wrote it, shown under the title."),
                f("regions", Terms(Taxonomy::Regions), false, REGIONS),
                f("topics", Terms(Taxonomy::Topics), false, TOPICS),
                f("audiences", Terms(Taxonomy::Audiences), false, AUDIENCES),
                f(
                    "series",
                    Terms(Taxonomy::Series),
                    false,
                    "Series slugs (`config.yaml`), e.g. `[peer-advice]`.",
                ),
                f(
                    "video",
                    DocRef(Collection::Videos),
                    false,
                    "The slug of a video shown with the story.",
                ),
                f(
                    "featured",
                    Bool,
                    false,
                    "`true`: featured on the home page.",
                ),
            ],
            Collection::Guides => vec![
                f("summary", Str, true, SUMMARY),
                f("audiences", Terms(Taxonomy::Audiences), true, AUDIENCES),
                f("date", Date, false, DATE),
                f("updated", Date, false, UPDATED),
                f("topics", Terms(Taxonomy::Topics), false, TOPICS),
                f(
                    "duration",
                    Str,
                    false,
                    "How long it takes, e.g. `12 minutes`.",
                ),
                f(
                    "tools",
                    DocRefs(Collection::Tools),
                    false,
                    "Slugs of the tools the guide uses.",
                ),
            ],
            Collection::Practices => vec![
                f("summary", Str, true, SUMMARY),
                f(
                    "region",
                    Term(Taxonomy::Regions),
                    true,
                    "The region slug (a file name in `regions/`).",
                ),
                f("topics", Terms(Taxonomy::Topics), true, TOPICS),
                f("date", Date, false, DATE),
                f("updated", Date, false, UPDATED),
                f("department", Str, false, "The department, e.g. `Pharmacy`."),
                f("team", Str, false, "The team's name."),
                f(
                    "results",
                    Results,
                    false,
                    "`{measure, before, after}` rows, e.g. `- {measure: Wait, before: 40 min, after: 12 min}`.",
                ),
            ],
            Collection::Tools => vec![
                f("summary", Str, true, SUMMARY),
                f("kind", Choice(TOOL_KINDS), true, "What kind of tool it is."),
                f(
                    "file",
                    File,
                    true,
                    "The download: a path under `static/`, e.g. `/files/checklist.pdf`.",
                ),
                f("date", Date, false, DATE),
                f("updated", Date, false, UPDATED),
                f("audiences", Terms(Taxonomy::Audiences), false, AUDIENCES),
                f("topics", Terms(Taxonomy::Topics), false, TOPICS),
            ],
            Collection::Videos => vec![
                f("date", Date, true, DATE),
                f("summary", Str, true, SUMMARY),
                f(
                    "transcript",
                    Text,
                    true,
                    "The words of the video, in markdown (a `|` block).",
                ),
                f("updated", Date, false, UPDATED),
                f(
                    "src",
                    File,
                    false,
                    "A hosted MP4 or WebM file under `static/` (or use `embed`), e.g. `/videos/clip.mp4`.",
                ),
                f(
                    "embed",
                    Url,
                    false,
                    "A YouTube or Vimeo address, loaded after a click (or use `src`), e.g. `https://www.youtube.com/watch?v=…`.",
                ),
                f(
                    "captions",
                    File,
                    false,
                    "A WebVTT captions file under `static/`, e.g. `/captions/clip.en.vtt`.",
                ),
                f(
                    "duration",
                    Str,
                    false,
                    "How long it takes, e.g. `12 minutes`.",
                ),
                f("topics", Terms(Taxonomy::Topics), false, TOPICS),
                f("audiences", Terms(Taxonomy::Audiences), false, AUDIENCES),
                f("regions", Terms(Taxonomy::Regions), false, REGIONS),
            ],
            Collection::Research => vec![
                f("year", Year, true, "Year of publication (1900–2100)."),
                f("publisher", Str, true, "Who published it."),
                f("summary", Str, true, SUMMARY),
                f("authors", StrList, false, "The authors' names."),
                f(
                    "link",
                    Url,
                    false,
                    "Where to read it (an `https://` address).",
                ),
                f("topics", Terms(Taxonomy::Topics), false, TOPICS),
            ],
            Collection::Regions => vec![
                f("summary", Str, false, SUMMARY),
                f(
                    "members",
                    Count,
                    false,
                    "Members, a whole number (`4500000`, never `4.5 million`).",
                ),
                f(
                    "members_display",
                    Str,
                    false,
                    "How the member count is written when it is not exact (`more than 688,000`).",
                ),
                f(
                    "medical_offices",
                    Count,
                    false,
                    "Medical offices, a whole number.",
                ),
                f(
                    "medical_offices_label",
                    Str,
                    false,
                    "What is counted (`medical and dental offices`).",
                ),
                f("hospitals", Count, false, "Hospitals, a whole number."),
                f("ubts", Count, false, "Unit-based teams, a whole number."),
                f(
                    "high_performing_ubts",
                    Count,
                    false,
                    "High-performing teams (at most `ubts`); the share is computed.",
                ),
                f("as_of", Date, false, "The date the figures are from."),
                f("served_area", Str, false, "The area the region serves."),
                f(
                    "council_since",
                    Str,
                    false,
                    "Since when the region has a partnership council.",
                ),
            ],
            Collection::Pages => vec![
                f("summary", Str, false, SUMMARY),
                f(
                    "menu",
                    Int,
                    false,
                    "Position in the main menu (lower first); without it, not in the menu.",
                ),
            ],
            Collection::Home => vec![f("summary", Str, false, SUMMARY)],
            Collection::Custom(d) => {
                let mut v = vec![
                    f("summary", Str, false, SUMMARY),
                    f("date", Date, false, DATE),
                    f("updated", Date, false, UPDATED),
                ];
                for field in &d.fields {
                    match v.iter_mut().find(|x| x.name == field.name) {
                        Some(x) => *x = *field,
                        None => v.push(*field),
                    }
                }
                v
            }
        };
        v.extend(specific);
        if self.has_lead_image() {
            v.extend(
                LEAD_IMAGE_FIELDS
                    .iter()
                    .map(|&(name, ty, help)| f(name, ty, false, help)),
            );
        }
        v
    }

    /// Collections whose documents may have a lead `image` (see [`LEAD_IMAGE_FIELDS`]).
    pub fn has_lead_image(self) -> bool {
        matches!(
            self,
            Collection::Stories | Collection::Practices | Collection::Regions | Collection::Videos
        )
    }
}

/// The lead image fields (stories, practices, regions; a video's image is its poster): the image, its alt text, an optional
/// caption and credit, and the focus point thumbnails and share cards are cropped around.
pub(crate) const LEAD_IMAGE_FIELDS: [(&str, FieldType, &str); 5] = [
    (
        "image",
        FieldType::File,
        "The lead image: a JPEG, PNG, WebP, GIF or SVG under `static/`, e.g. `/images/team.jpg`.",
    ),
    (
        "image_alt",
        FieldType::Str,
        "Required with `image`: what the picture shows, for people who cannot see it (`\"\"`: decorative).",
    ),
    ("image_caption", FieldType::Str, "Shown under the picture."),
    (
        "image_credit",
        FieldType::Str,
        "Who took or owns the picture.",
    ),
    (
        "image_focus",
        FieldType::Str,
        "Where crops are centred: `x% y%` (e.g. `50% 30%`), `center`, `top`, `bottom`, `left` or `right`.",
    ),
];

/// Help shared by fields of several collections.
const DATE: &str = "The date it was published, e.g. `2021-06-30`.";
const SUMMARY: &str = "One or two sentences, shown in lists, search results and link previews.";
const UPDATED: &str = "The date of the last real change (\"Last updated\").";
const REGIONS: &str = "Region slugs (file names in `regions/`), e.g. `[colorado]`.";
const TOPICS: &str = "Topic slugs (`config.yaml`), e.g. `[union-members, leadership]`.";
const AUDIENCES: &str = "Audience slugs (`config.yaml`), e.g. `[managers]`.";

pub(crate) const TOOL_KINDS: &[&str] = &["checklist", "template", "puzzle", "worksheet", "guide"];

/// The type of a front matter field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// One line of text.
    Str,
    /// Markdown text (may span lines).
    Text,
    /// A URL slug: lowercase letters, digits, dashes.
    Slug,
    /// ISO date.
    Date,
    Int,
    /// A count (integer ≥ 0).
    Count,
    /// A year (integer 1900–2100).
    Year,
    Bool,
    /// A list of term slugs of the named taxonomy.
    Terms(Taxonomy),

    /// One term slug of the named taxonomy.
    Term(Taxonomy),
    /// The slug of a document of the collection.
    DocRef(Collection),
    /// A list of slugs of documents of the collection.
    DocRefs(Collection),
    /// A site-absolute path to a file under `site/static/`.
    File,
    /// An absolute `http(s)://` URL.
    Url,
    StrList,
    /// Practice results: a list of `{measure, before, after}`.
    Results,
    /// One of the listed values.
    Choice(&'static [&'static str]),
    /// Site-relative URL paths (`/old/path/`).
    Aliases,
}

impl FieldType {
    /// The type as the docs' field tables (generated by a test) name it.
    #[cfg(test)]
    pub(crate) fn describe(self) -> String {
        match self {
            FieldType::Str => "string".into(),
            FieldType::Text => "text (markdown)".into(),
            FieldType::Slug => "slug".into(),
            FieldType::Date => "date".into(),
            FieldType::Int => "integer".into(),
            FieldType::Count => "count (integer ≥ 0)".into(),
            FieldType::Year => "year".into(),
            FieldType::Bool => "bool".into(),
            FieldType::Terms(t) => format!("list of {} slugs", t.singular().to_lowercase()),
            FieldType::Term(t) => format!("{} slug", t.singular().to_lowercase()),
            FieldType::DocRef(c) => format!("{} slug", c.singular()),
            FieldType::DocRefs(c) => format!("list of {} slugs", c.singular()),
            FieldType::File => "site file".into(),
            FieldType::Url => "URL".into(),
            FieldType::StrList => "list of strings".into(),
            FieldType::Results => "list of results".into(),
            FieldType::Choice(values) => format!("one of {}", values.join(", ")),
            FieldType::Aliases => "list of URL paths".into(),
        }
    }

    /// How to write a value of this type, for help lines and `lmp new`.
    pub fn example(self) -> &'static str {
        match self {
            FieldType::Str => "\"Some text\"",
            FieldType::Text => "|\n  Several lines of text.",
            FieldType::Slug => "my-slug",
            FieldType::Date => "2021-06-30",
            FieldType::Int => "10",
            FieldType::Count => "1347",
            FieldType::Year => "2016",
            FieldType::Bool => "true",
            FieldType::Terms(_) | FieldType::DocRefs(_) | FieldType::StrList => "[]",
            FieldType::Term(_) | FieldType::DocRef(_) => "some-slug",
            FieldType::File => "/files/example.pdf",
            FieldType::Url => "https://example.org/",
            FieldType::Results => "[]",
            FieldType::Choice(c) => c[0],
            FieldType::Aliases => "[]",
        }
    }
}

/// One field of a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub ty: FieldType,
    pub required: bool,
    /// What the field is for, in plain words (the docs' field tables); empty for a field
    /// `config.yaml` adds.
    pub help: &'static str,
}

fn de_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
    let s: Option<String> = Option::deserialize(d)?;
    s.map(|s| Date::parse(&s).map_err(serde::de::Error::custom))
        .transpose()
}

/// Fields every collection has.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub(crate) struct Common {
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default, deserialize_with = "de_date")]
    pub date: Option<Date>,
    #[serde(default, deserialize_with = "de_date")]
    pub updated: Option<Date>,
    /// When an editor last checked the page was still right ("Last reviewed"; `lmp check --stale`).
    #[serde(default, deserialize_with = "de_date")]
    pub reviewed: Option<Date>,
    #[serde(default)]
    pub slug: Option<String>,
    /// A translation with a file name of its own: the file name (without `.md`) of its original
    /// in the same folder.
    #[serde(default)]
    pub translation_of: Option<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default, deserialize_with = "de_date")]
    pub publish_date: Option<Date>,
    #[serde(default, deserialize_with = "de_date")]
    pub expiry_date: Option<Date>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub weight: Option<i64>,
    #[serde(default)]
    pub regions: Vec<String>,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub audiences: Vec<String>,
    #[serde(default)]
    pub series: Vec<String>,
    /// The lead image (stories, practices, regions): a site path under `static/`.
    #[serde(default)]
    pub image: Option<String>,
    #[serde(default)]
    pub image_alt: Option<String>,
    #[serde(default)]
    pub image_caption: Option<String>,
    #[serde(default)]
    pub image_credit: Option<String>,
    /// Where thumbnails and share cards are cropped around: `"x% y%"`.
    #[serde(default)]
    pub image_focus: Option<String>,
    /// QA Q71: `summary`, `image_caption` and `image_credit` as written when they hold inline
    /// markdown (those fields then hold their plain text); rendered with the body.
    #[serde(skip)]
    pub marked: Vec<crate::markdown::MarkedField>,
}

impl Common {
    /// The common fields of a translation: `mine`'s (the translation's) for the fields named
    /// `mine_names`, `theirs` (its original's) elsewhere, as deserializing the merged front
    /// matter gives them. Each of the two was deserialized from its own values, so each field
    /// is what deserializing the merged values gives for it, without making or reading them
    /// (see `i18n::inherit`). Names that are not fields are left alone; each name once.
    ///
    /// A field in inline markdown (`front_matter::mark_inline_markdown`) keeps its markdown
    /// from the side it is taken from (QA s17: a translation's own `summary`, `image_caption`
    /// and `image_credit` were shown as written, `*asterisks*` and all, where the original's
    /// were rendered): at its place in the translation's file when it is the translation's,
    /// else in the original's (`inherited`).
    pub(crate) fn merged<'a>(
        mut mine: Common,
        theirs: &Common,
        mine_names: impl Iterator<Item = &'a str>,
    ) -> Common {
        let mut c = theirs.clone();
        for m in &mut c.marked {
            m.inherited = true;
        }
        let mut own_marked = std::mem::take(&mut mine.marked);
        for name in mine_names {
            if c.take_field(&mut mine, name)
                && let Some(key) = crate::markdown::MARKDOWN_FIELDS
                    .into_iter()
                    .find(|k| *k == name)
            {
                c.marked.retain(|m| m.key != key);
                let (own, rest) = std::mem::take(&mut own_marked)
                    .into_iter()
                    .partition::<Vec<_>, _>(|m| m.key == key);
                c.marked.extend(own);
                own_marked = rest;
            }
        }
        // In the order of `MARKDOWN_FIELDS`, as one document's are.
        c.marked.sort_by_key(|m| {
            crate::markdown::MARKDOWN_FIELDS
                .iter()
                .position(|k| *k == m.key)
        });
        c
    }

    /// Field `name` (its front matter key) moved from `from`; false when no field has that
    /// name. Every field serde reads is one (a test checks it against serde's names).
    fn take_field(&mut self, from: &mut Common, name: &str) -> bool {
        use std::mem::take;
        match name {
            "title" => self.title = take(&mut from.title),
            "summary" => self.summary = take(&mut from.summary),
            "date" => self.date = from.date,
            "updated" => self.updated = from.updated,
            "reviewed" => self.reviewed = from.reviewed,
            "slug" => self.slug = take(&mut from.slug),
            "translation_of" => self.translation_of = take(&mut from.translation_of),
            "draft" => self.draft = from.draft,
            "publish_date" => self.publish_date = from.publish_date,
            "expiry_date" => self.expiry_date = from.expiry_date,
            "aliases" => self.aliases = take(&mut from.aliases),
            "weight" => self.weight = from.weight,
            "regions" => self.regions = take(&mut from.regions),
            "topics" => self.topics = take(&mut from.topics),
            "audiences" => self.audiences = take(&mut from.audiences),
            "series" => self.series = take(&mut from.series),
            "image" => self.image = take(&mut from.image),
            "image_alt" => self.image_alt = take(&mut from.image_alt),
            "image_caption" => self.image_caption = take(&mut from.image_caption),
            "image_credit" => self.image_credit = take(&mut from.image_credit),
            "image_focus" => self.image_focus = take(&mut from.image_focus),
            _ => return false,
        }
        true
    }
}

/// The field names serde reads for the struct `T` (those of its `Deserialize` derive): the keys
/// whose values make a `T`.
#[cfg(test)]
pub(crate) fn serde_names<T: for<'de> Deserialize<'de>>() -> &'static [&'static str] {
    serde_names_of(|d| T::deserialize(d).map(|_| ()))
}

/// [`serde_names`] of what `read` deserializes (nothing when it reads no struct).
pub(crate) fn serde_names_of(
    read: impl FnOnce(NameProbe<'_>) -> Result<(), serde::de::value::Error>,
) -> &'static [&'static str] {
    let mut names: &'static [&'static str] = &[];
    let _ = read(NameProbe(&mut names));
    names
}

/// A deserializer that reads nothing: asked for a struct, it notes the struct's field names
/// (see [`serde_names`]).
pub(crate) struct NameProbe<'a>(&'a mut &'static [&'static str]);

impl<'de> serde::Deserializer<'de> for NameProbe<'_> {
    type Error = serde::de::value::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(serde::de::Error::custom("only a struct's names are read"))
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(serde::de::Error::custom("only a struct's names are read"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub(crate) struct Story {
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default)]
    pub video: Option<String>,
    #[serde(default)]
    pub featured: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub(crate) struct Guide {
    #[serde(default)]
    pub duration: Option<String>,
    #[serde(default)]
    pub tools: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
pub(crate) struct ResultRow {
    pub measure: String,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub(crate) struct Practice {
    pub region: String,
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub team: Option<String>,
    #[serde(default)]
    pub results: Vec<ResultRow>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub(crate) struct Tool {
    pub kind: String,
    pub file: String,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub(crate) struct Video {
    pub transcript: String,
    #[serde(default)]
    pub src: Option<String>,
    #[serde(default)]
    pub embed: Option<String>,
    #[serde(default)]
    pub captions: Option<String>,
    #[serde(default)]
    pub duration: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub(crate) struct Research {
    pub year: i64,
    pub publisher: String,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub link: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub(crate) struct Region {
    #[serde(default)]
    pub members: Option<i64>,
    #[serde(default)]
    pub members_display: Option<String>,
    #[serde(default)]
    pub medical_offices: Option<i64>,
    #[serde(default)]
    pub medical_offices_label: Option<String>,
    #[serde(default)]
    pub hospitals: Option<i64>,
    #[serde(default)]
    pub ubts: Option<i64>,
    #[serde(default)]
    pub high_performing_ubts: Option<i64>,
    #[serde(default, deserialize_with = "de_date")]
    pub as_of: Option<Date>,
    #[serde(default)]
    pub served_area: Option<String>,
    #[serde(default)]
    pub council_since: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub(crate) struct Page {
    #[serde(default)]
    pub menu: Option<i64>,
}

/// The collection-specific part of a document's front matter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Fields {
    Story(Story),
    Guide(Guide),
    Practice(Practice),
    Tool(Tool),
    Video(Video),
    Research(Research),
    Region(Region),
    Page(Page),
    Home,
    /// A config-defined collection: its own fields are in `Document::extra`.
    Custom,
}

impl Fields {
    /// The fields of a document of collection `c` with nothing given.
    pub(crate) fn empty(c: Collection) -> Fields {
        match c {
            Collection::Stories => Fields::Story(Story::default()),
            Collection::Guides => Fields::Guide(Guide::default()),
            Collection::Practices => Fields::Practice(Practice::default()),
            Collection::Tools => Fields::Tool(Tool::default()),
            Collection::Videos => Fields::Video(Video::default()),
            Collection::Research => Fields::Research(Research::default()),
            Collection::Regions => Fields::Region(Region::default()),
            Collection::Pages => Fields::Page(Page::default()),
            Collection::Home => Fields::Home,
            Collection::Custom(_) => Fields::Custom,
        }
    }

    /// Deserialize the collection-specific struct from validated front matter.
    pub(crate) fn from_json(
        c: Collection,
        v: &serde_json::Value,
    ) -> Result<Fields, serde_json::Error> {
        Fields::deserialize_as(c, v)
    }

    /// [`Fields::from_json`] from any deserializer of front matter values (a translation's
    /// merged with its original's without building the merged map: see `i18n::inherit`).
    pub(crate) fn deserialize_as<'de, D: serde::Deserializer<'de>>(
        c: Collection,
        d: D,
    ) -> Result<Fields, D::Error> {
        Ok(match c {
            Collection::Stories => Fields::Story(Story::deserialize(d)?),
            Collection::Guides => Fields::Guide(Guide::deserialize(d)?),
            Collection::Practices => Fields::Practice(Practice::deserialize(d)?),
            Collection::Tools => Fields::Tool(Tool::deserialize(d)?),
            Collection::Videos => Fields::Video(Video::deserialize(d)?),
            Collection::Research => Fields::Research(Research::deserialize(d)?),
            Collection::Regions => Fields::Region(Region::deserialize(d)?),
            Collection::Pages => Fields::Page(Page::deserialize(d)?),
            Collection::Home => Fields::Home,
            Collection::Custom(_) => Fields::Custom,
        })
    }
}

/// Parse a field type written in config (`{type: terms, taxonomy: topics}`).
pub(crate) fn field_type_from_config(
    ty: &str,
    taxonomy: Option<&str>,
    collection: Option<&str>,
    values: &[String],
) -> Result<FieldType, String> {
    let all = || Taxonomy::names(&Taxonomy::ALL);
    let tax = || -> Result<Taxonomy, String> {
        let t =
            taxonomy.ok_or_else(|| format!("type `{ty}` needs `taxonomy:` (one of {})", all()))?;
        Taxonomy::from_name(t)
            .ok_or_else(|| format!("unknown taxonomy `{t}`: use one of {}", all()))
    };
    let coll = || -> Result<Collection, String> {
        let c = collection
            .ok_or_else(|| format!("type `{ty}` needs `collection:` (a built-in collection)"))?;
        ALL.into_iter()
            .find(|x| x.name() == c)
            .ok_or_else(|| format!("`{c}` is not a built-in collection"))
    };
    Ok(match ty {
        "string" => FieldType::Str,
        "text" => FieldType::Text,
        "slug" => FieldType::Slug,
        "date" => FieldType::Date,
        "integer" => FieldType::Int,
        "count" => FieldType::Count,
        "year" => FieldType::Year,
        "bool" | "boolean" => FieldType::Bool,
        "url" => FieldType::Url,
        "file" => FieldType::File,
        "list" => FieldType::StrList,
        "terms" => FieldType::Terms(tax()?),
        "term" => FieldType::Term(tax()?),
        "reference" => FieldType::DocRef(coll()?),
        "references" => FieldType::DocRefs(coll()?),
        "choice" => {
            if values.is_empty() {
                return Err("type `choice` needs `values: [...]`".into());
            }
            FieldType::Choice(intern_list(values))
        }
        other => {
            const NAMES: [&str; 17] = [
                "string",
                "text",
                "slug",
                "date",
                "integer",
                "count",
                "year",
                "bool",
                "url",
                "file",
                "list",
                "terms",
                "term",
                "reference",
                "references",
                "choice",
                "boolean",
            ];
            let hint = crate::diagnostics::suggest(other, NAMES)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(format!(
                "unknown field type `{other}`{hint}; the types are {}",
                NAMES[..16].join(", ")
            ));
        }
    })
}

/// What config defines (names, choice values, collections) lives for the whole process, so that
/// `Collection` stays `Copy` like the built-in ones. Each distinct value is allocated once: loading
/// the same config again (every `serve` reload) allocates nothing new.
#[derive(Default)]
struct Interned {
    strs: std::collections::HashSet<&'static str>,
    lists: Vec<&'static [&'static str]>,
    defs: Vec<&'static CustomDef>,
}

static INTERNED: std::sync::Mutex<Option<Interned>> = std::sync::Mutex::new(None);

fn interned<T>(f: impl FnOnce(&mut Interned) -> T) -> T {
    let mut guard = INTERNED.lock().unwrap_or_else(|e| e.into_inner());
    f(guard.get_or_insert_with(Interned::default))
}

/// `s` for the lifetime of the process (allocated once per distinct string).
pub(crate) fn intern(s: &str) -> &'static str {
    interned(|i| intern_str(i, s))
}

fn intern_str(i: &mut Interned, s: &str) -> &'static str {
    if let Some(&s) = i.strs.get(s) {
        return s;
    }
    let s: &'static str = Box::leak(s.to_string().into_boxed_str());
    i.strs.insert(s);
    s
}

/// The values of a `choice` field for the lifetime of the process (once per distinct list).
fn intern_list(values: &[String]) -> &'static [&'static str] {
    interned(|i| {
        if let Some(&l) = i.lists.iter().find(|l| l.iter().eq(values.iter())) {
            return l;
        }
        let v: Vec<&'static str> = values.iter().map(|v| intern_str(i, v)).collect();
        let l: &'static [&'static str] = Box::leak(v.into_boxed_slice());
        i.lists.push(l);
        l
    })
}

/// A config-defined collection for the lifetime of the process (once per distinct definition:
/// same names, labels and fields).
pub(crate) fn intern_def(def: CustomDef) -> &'static CustomDef {
    interned(|i| {
        let same = |d: &&&'static CustomDef| {
            d.name == def.name
                && d.singular == def.singular
                && d.label == def.label
                && d.plural == def.plural
                && d.fields == def.fields
        };
        if let Some(&d) = i.defs.iter().find(same) {
            return d;
        }
        let d: &'static CustomDef = Box::leak(Box::new(def));
        i.defs.push(d);
        d
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Schema fields the default theme deliberately does not show as such, and why.
    const NOT_SHOWN: [(&str, &str); 10] = [
        ("slug", "it is the page's URL"),
        ("draft", "it decides whether the page is built"),
        ("publish_date", "it decides whether the page is built"),
        ("expiry_date", "it decides whether the page is built"),
        ("aliases", "each makes a redirect page"),
        ("weight", "it orders documents in lists"),
        (
            "translation_of",
            "it pairs a translation with its original (the language switcher)",
        ),
        ("featured", "it picks the stories on the home page"),
        (
            "embed",
            "shown as `doc.player` and `doc.watch_url` (the facade)",
        ),
        (
            "image_focus",
            "thumbnails and share cards are cropped around it",
        ),
    ];

    /// Issue 12: every field of every built-in collection is shown by the default theme (a
    /// template reads `….name` or `….name_display` of the document's view) or is on
    /// [`NOT_SHOWN`] with the reason, so a new field cannot be forgotten in the theme; and the
    /// fields `config.yaml` adds are shown (`doc.extra`).
    #[test]
    fn every_schema_field_is_shown_by_the_default_theme_or_listed_as_not_shown() {
        let dir =
            std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/lmp/templates"));
        let mut templates = String::new();
        for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let e = e.unwrap();
            if e.file_type().is_file() {
                templates.push_str(&crate::fsx::read_to_string(e.path()).unwrap());
            }
        }
        let reads = |name: &str| {
            [format!(".{name}"), format!(".{name}_display")]
                .iter()
                .any(|m| {
                    templates.match_indices(m.as_str()).any(|(i, _)| {
                        !templates[i + m.len()..]
                            .chars()
                            .next()
                            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                    })
                })
        };
        let mut forgotten = Vec::new();
        for c in ALL {
            for f in c.fields() {
                let hidden = NOT_SHOWN.iter().any(|(n, _)| *n == f.name);
                if !hidden && !reads(f.name) {
                    forgotten.push(format!("{}.{}", c.name(), f.name));
                }
            }
        }
        assert!(
            forgotten.is_empty(),
            "the default theme does not show {forgotten:?}: show them in themes/lmp/templates \
             (and docs/theme.md), or add them to NOT_SHOWN with the reason"
        );
        // The list stays true: each entry is a field, and one the theme indeed does not read.
        for (name, why) in NOT_SHOWN {
            assert!(
                ALL.iter()
                    .any(|c| c.fields().iter().any(|f| f.name == name)),
                "NOT_SHOWN lists `{name}`, which no collection has"
            );
            assert!(
                !reads(name),
                "NOT_SHOWN lists `{name}` ({why}), but the theme shows it"
            );
        }
        assert!(
            reads("extra"),
            "the fields config.yaml adds are shown (doc.extra)"
        );
    }

    /// The fields every built-in collection has, the same way (name, type, required).
    fn common_fields() -> Vec<Field> {
        let first = ALL[0].fields();
        first
            .into_iter()
            .filter(|f| ALL.iter().all(|c| c.fields().contains(f)))
            .collect()
    }

    /// The field tables of `docs/content-model.md` from [`Collection::fields`]: the fields every
    /// collection has, then one table per collection with the others.
    fn field_tables() -> String {
        let common = common_fields();
        let table = |title: String, fields: &[Field]| {
            let mut md = format!(
                "\n#### {title}\n\n| field | type | required | what it is |\n| --- | --- | --- | --- |\n"
            );
            for f in fields {
                md.push_str(&format!(
                    "| `{}` | {} | {} | {} |\n",
                    f.name,
                    f.ty.describe(),
                    if f.required { "yes" } else { "" },
                    f.help
                ));
            }
            md
        };
        let mut md = table("Every collection".into(), &common);
        for c in ALL {
            let own: Vec<Field> = c
                .fields()
                .into_iter()
                .filter(|f| !common.contains(f))
                .collect();
            let title = format!(
                "{} (`{}/`, `{}`)",
                c.plural_label(),
                c.name(),
                c.url_for("{slug}")
            );
            md.push_str(&table(title, &own));
        }
        md
    }

    /// The names in backticks in a cell of a markdown table row.
    fn names_in(cell: &str) -> Vec<&str> {
        cell.split('`').skip(1).step_by(2).collect()
    }

    const DOC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/content-model.md");
    const START: &str = "<!-- field tables: generated from src/content/collections.rs -->\n";
    const END: &str = "<!-- end of the field tables -->";

    /// Rewrite with `LMP_BLESS_DOCS=1 cargo test --lib field_tables`.
    #[test]
    fn docs_field_tables_are_the_schemas() {
        let doc = crate::fsx::read_to_string(std::path::Path::new(DOC)).unwrap();
        let (Some(a), Some(b)) = (doc.find(START), doc.find(END)) else {
            panic!(
                "docs/content-model.md has no `{}` ... `{END}` markers",
                START.trim()
            );
        };
        let (have, want) = (&doc[a + START.len()..b], field_tables());
        if std::env::var_os("LMP_BLESS_DOCS").is_some() {
            let fresh = format!("{}{want}{}", &doc[..a + START.len()], &doc[b..]);
            crate::fsx::write_replacing(std::path::Path::new(DOC), fresh.as_bytes()).unwrap();
            return;
        }
        assert!(
            have == want,
            "docs/content-model.md's field tables differ from Collection::fields: run \
             `LMP_BLESS_DOCS=1 cargo test --lib field_tables`"
        );
        assert!(
            ALL.iter()
                .flat_map(|c| c.fields())
                .all(|f| !f.help.is_empty()),
            "every built-in field says what it is for"
        );
        // The summary table under "## Collections" names the same required and optional fields
        // (its optional column says "lead image fields" for those five).
        let common = common_fields();
        for c in ALL {
            let row = doc
                .lines()
                .find(|l| l.starts_with(&format!("| {} |", c.name())))
                .unwrap_or_else(|| panic!("no row for {} in the Collections table", c.name()));
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            let (required, mut optional) = (names_in(cells[4]), names_in(cells[5]));
            let fields = c.fields();
            let want_required: Vec<&str> = fields
                .iter()
                .filter(|f| f.required)
                .map(|f| f.name)
                .collect();
            assert_eq!(required, want_required, "{}: required fields", c.name());
            let mut want_optional: Vec<&str> = fields
                .iter()
                .filter(|f| !f.required && !common.contains(f))
                .filter(|f| !LEAD_IMAGE_FIELDS.iter().any(|l| l.0 == f.name))
                .map(|f| f.name)
                .collect();
            want_optional.sort_unstable();
            optional.sort_unstable();
            assert_eq!(optional, want_optional, "{}: optional fields", c.name());
            assert_eq!(
                c.has_lead_image(),
                cells[5].contains("lead image fields"),
                "{}: lead image fields",
                c.name()
            );
        }
    }

    /// The field names serde would read into `T` (its `deserialize_struct` call names them).
    fn serde_fields<'de, T: serde::Deserialize<'de>>() -> Vec<&'static str> {
        use serde::de::{self, Visitor};
        struct Names(Vec<&'static str>);
        impl<'de> de::Deserializer<'de> for &mut Names {
            type Error = de::value::Error;
            fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
                Err(de::Error::custom("not a struct"))
            }
            fn deserialize_struct<V: Visitor<'de>>(
                self,
                _: &'static str,
                fields: &'static [&'static str],
                _: V,
            ) -> Result<V::Value, Self::Error> {
                self.0 = fields.to_vec();
                Err(de::Error::custom("names taken"))
            }
            serde::forward_to_deserialize_any! {
                bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
                byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
                identifier ignored_any
            }
        }
        let mut names = Names(Vec::new());
        let _ = T::deserialize(&mut names);
        names.0
    }

    /// The typed structs a document's front matter is deserialized into name exactly the
    /// schema's fields: each field of a collection's struct is in its table, and each field of
    /// the table is read by that struct or by `Common` (so no field is validated but dropped).
    #[test]
    fn the_typed_structs_read_exactly_the_schema_fields() {
        let common = serde_fields::<Common>();
        assert!(common.contains(&"title") && common.contains(&"image_focus"));
        for c in ALL {
            let own = match c {
                Collection::Stories => serde_fields::<Story>(),
                Collection::Guides => serde_fields::<Guide>(),
                Collection::Practices => serde_fields::<Practice>(),
                Collection::Tools => serde_fields::<Tool>(),
                Collection::Videos => serde_fields::<Video>(),
                Collection::Research => serde_fields::<Research>(),
                Collection::Regions => serde_fields::<Region>(),
                Collection::Pages => serde_fields::<Page>(),
                Collection::Home | Collection::Custom(_) => Vec::new(),
            };
            let table: Vec<&str> = c.fields().iter().map(|f| f.name).collect();
            for name in &own {
                assert!(
                    table.contains(name),
                    "{}: `{name}` is read but not in the schema",
                    c.name()
                );
            }
            for name in &table {
                assert!(
                    own.contains(name) || common.contains(name),
                    "{}: `{name}` is in the schema but no struct reads it",
                    c.name()
                );
            }
        }
    }

    #[test]
    fn a_config_field_of_terms_names_a_known_taxonomy() {
        assert_eq!(
            field_type_from_config("terms", Some("series"), None, &[]),
            Ok(FieldType::Terms(Taxonomy::Series))
        );
        assert_eq!(
            field_type_from_config("term", Some("regions"), None, &[]),
            Ok(FieldType::Term(Taxonomy::Regions))
        );
        assert_eq!(
            field_type_from_config("terms", Some("tags"), None, &[]),
            Err("unknown taxonomy `tags`: use one of regions, topics, audiences, series".into())
        );
        assert_eq!(
            field_type_from_config("terms", None, None, &[]),
            Err(
                "type `terms` needs `taxonomy:` (one of regions, topics, audiences, series)".into()
            )
        );
    }
}
