//! Components in markdown: the syntax, and the checks of a call against the component's declared
//! arguments. Rendering is the [`Host`]'s job (the theme's templates, see `render::components`).
//!
//! A component is a fenced block whose info string is the component's name in braces; its first
//! lines are `name: value` arguments; after a blank line comes the markdown body (for components
//! that take one):
//!
//! ````markdown
//! ```{details}
//! summary: How are the shares computed?
//!
//! High-performing teams divided by all teams, **rounded** to a whole percent.
//! ```
//! ````
//!
//! Values are the rest of the line (surrounding quotes are removed), converted to the declared
//! type: `string`, `integer`, `float`/`number`, `bool` (`true`/`false`). An unknown component or
//! argument, a repeated or missing required argument, a wrong type, a body where none is taken (or
//! none where one is needed) are errors at the line and column of the mistake, with a
//! "did you mean" where one is close.

use std::collections::BTreeMap;

use crate::diagnostics::suggest;

/// The type of a component argument, as declared in the theme's template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArgType {
    String,
    Integer,
    Float,
    Bool,
}

impl ArgType {
    fn describe(self) -> &'static str {
        match self {
            ArgType::String => "text",
            ArgType::Integer => "a whole number",
            ArgType::Float => "a number",
            ArgType::Bool => "true or false",
        }
    }
}

/// One declared argument.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ArgSpec {
    pub name: String,
    pub ty: ArgType,
    pub required: bool,
    /// What the value points at, checked and looked up by the host: `file`, `image`, `region`,
    /// `video` (from the template's metadata), or `None` for plain values.
    pub kind: Option<String>,
}

/// The key under which the writer hands the host an argument of kind `markdown` rendered as
/// inline HTML (QA Q71). A `:` cannot be in an argument an author writes.
pub(crate) fn html_key(arg: &str) -> String {
    format!("{arg}:html")
}

/// Whether `key` is an [`html_key`] (not an argument of the template).
pub(crate) fn is_html_key(key: &str) -> bool {
    key.ends_with(":html")
}

/// Whether a component takes a markdown body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyRule {
    None,
    Optional,
    Required,
}

/// A component as declared by the theme.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Spec {
    pub name: String,
    pub args: Vec<ArgSpec>,
    pub body: BodyRule,
    /// QA Q64: a site's override of a theme component that does not declare some of the
    /// theme's arguments: its file, and those arguments (an author giving one is told why).
    pub narrowed: Option<(String, Vec<String>)>,
}

impl Spec {
    /// `src, alt, caption (optional)`, for help lines.
    pub(crate) fn signature(&self) -> String {
        if self.args.is_empty() {
            return "no arguments".into();
        }
        let args: Vec<String> = self
            .args
            .iter()
            .map(|a| {
                if a.required {
                    format!("`{}`", a.name)
                } else {
                    format!("`{}` (optional)", a.name)
                }
            })
            .collect();
        args.join(", ")
    }
}

/// A problem the host found with one argument's value (a missing file, an unknown region), or
/// with the whole call (`arg: None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub arg: Option<String>,
    pub message: String,
    pub help: String,
    /// Caused by another file's errors (a region whose file has errors): listed after the
    /// root causes.
    pub caused: bool,
}

/// Renders components: the theme's templates with the site's data.
pub(crate) trait Host: Sync {
    fn spec(&self, name: &str) -> Option<&Spec>;
    fn names(&self) -> Vec<&str>;
    /// Render a checked call in a page of language `lang` (a code such as `es`; "" for the
    /// site's default). `body` is the rendered HTML of the markdown body ("" when none).
    fn render(
        &self,
        name: &str,
        args: &BTreeMap<String, serde_json::Value>,
        body: &str,
        lang: &str,
    ) -> Result<String, Problem>;
    /// The visible title of a GitHub alert (`note`, `tip`, `important`, `warning`, `caution`) in
    /// language `lang`, or `None` for the English default. Part of [`Host::digest`].
    fn alert_title(&self, _kind: &str, _lang: &str) -> Option<String> {
        None
    }
    /// One of the labels markdown writes itself (`md_table`, `md_task_done`,
    /// `md_task_not_done`, `md_footnotes`, `md_footnote_back`: the theme's strings) in language
    /// `lang`, or `None` for the English default. Part of [`Host::digest`].
    fn label(&self, _key: &str, _lang: &str) -> Option<String> {
        None
    }
    /// A digest of every spec: a rendering checked against other specs must be redone.
    fn digest(&self) -> u128;
}

impl Call {
    /// Whether `host` still renders this call the same.
    pub(crate) fn still_valid(&self, host: &dyn Host) -> bool {
        host.render(&self.name, &self.args, &self.body, &self.lang) == self.output
    }
}

/// A checked component call, as rendered; kept in [`super::Rendered`] so that an incremental
/// rebuild can tell whether the same call still renders the same (theme, files and regions may
/// have changed while the markdown did not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Call {
    pub name: String,
    pub args: BTreeMap<String, serde_json::Value>,
    pub body: String,
    /// The language of the page it was rendered for.
    pub lang: String,
    pub output: Result<String, Problem>,
}

/// A parsed block, before checks: arguments with their line (0-based within the block) and
/// column (1-based), and where the body starts.
pub(crate) struct Parsed<'a> {
    pub args: Vec<(&'a str, &'a str, usize, usize)>,
    /// The column (1-based, in characters) where each argument's value starts as written (its
    /// quote, if any), in the order of `args`: where a wrong value is pointed at.
    pub value_cols: Vec<usize>,
    /// Lines that are neither `name: value` nor blank, before the body.
    pub bad_lines: Vec<(usize, &'a str)>,
    /// The body text and its first line (0-based within the block).
    pub body: Option<(String, usize)>,
    /// The lines (0-based) of arguments written `null` or `~` without quotes.
    pub nulls: Vec<usize>,
}

/// The component name of a fenced block's info string: `{figure}` → `figure`.
pub(crate) fn name_of(info: &str) -> Option<&str> {
    let info = info.trim();
    let inner = info.strip_prefix('{')?.strip_suffix('}')?.trim();
    Some(inner)
}

/// The markdown links (`[words](address)`) and HTML links (`<a href=…>words</a>`) in `value`:
/// each one's byte range and its words.
fn links_in(value: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while from < value.len() {
        let rest = &value[from..];
        let md = rest.find('[').and_then(|o| {
            let close = rest[o..].find("](")? + o;
            let end = rest[close + 2..].find(')')? + close + 2;
            Some((o, end + 1, &rest[o + 1..close]))
        });
        let html = rest.to_ascii_lowercase().find("<a ").and_then(|o| {
            let open_end = rest[o..].find('>')? + o;
            let close = rest[open_end..].to_ascii_lowercase().find("</a>")? + open_end;
            Some((o, close + 4, &rest[open_end + 1..close]))
        });
        let first = match (md, html) {
            (Some(m), Some(h)) => Some(if h.0 < m.0 { h } else { m }),
            (m, h) => m.or(h),
        };
        let Some((start, end, words)) = first else {
            break;
        };
        out.push((from + start..from + end, words));
        from += end;
    }
    out
}

/// Where the first link is in `value`, an argument shown as plain text (see
/// `writer::end_component`): a byte offset.
pub(crate) fn link_in_plain_text(value: &str) -> Option<usize> {
    links_in(value).first().map(|(r, _)| r.start)
}

/// `value` with each link replaced by its words, for a help that writes the argument out.
pub(crate) fn without_links(value: &str) -> String {
    let mut out = String::new();
    let mut last = 0;
    for (r, words) in links_in(value) {
        out.push_str(&value[last..r.start]);
        out.push_str(words);
        last = r.end;
    }
    out.push_str(&value[last..]);
    out
}

/// Split a block into arguments and body.
pub(crate) fn parse(block: &str) -> Parsed<'_> {
    let mut args = Vec::new();
    let mut value_cols = Vec::new();
    let mut bad_lines = Vec::new();
    let mut body = None;
    let mut nulls = Vec::new();
    let lines: Vec<&str> = block.split('\n').collect();
    let mut in_args = true;
    for (n, raw) in lines.iter().enumerate() {
        let line = raw.trim_end_matches('\r');
        if !in_args {
            break;
        }
        if line.trim().is_empty() {
            in_args = false;
            let rest: Vec<&str> = lines.get(n + 1..).unwrap_or_default().to_vec();
            let text = rest.join("\n");
            if !text.trim().is_empty() {
                body = Some((text, n + 1));
            }
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim_start();
        match trimmed.split_once(':') {
            Some((key, value))
                if !key.is_empty()
                    && key
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') =>
            {
                if matches!(value.trim(), "null" | "Null" | "NULL" | "~") {
                    nulls.push(n);
                }
                args.push((key, unquote(value.trim()), n, indent + 1));
                let before = line.len() - value.trim_start().len();
                value_cols.push(line[..before].chars().count() + 1);
            }
            _ => bad_lines.push((n, line)),
        }
    }
    Parsed {
        args,
        value_cols,
        bad_lines,
        body,
        nulls,
    }
}

fn unquote(v: &str) -> &str {
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return &v[1..v.len() - 1];
        }
    }
    v
}

/// A located complaint about a call: line (0-based within the block; `None` = the fence line),
/// column, message, help.
pub(crate) type Complaint = (Option<usize>, usize, String, String);

/// Convert and check the arguments against the spec.
pub(crate) fn check(
    spec: &Spec,
    parsed: &Parsed<'_>,
) -> (BTreeMap<String, serde_json::Value>, Vec<Complaint>) {
    let mut out = BTreeMap::new();
    let mut errs = Vec::new();
    let names: Vec<&str> = spec.args.iter().map(|a| a.name.as_str()).collect();
    for (n, line) in &parsed.bad_lines {
        errs.push((
            Some(*n),
            1,
            format!("`{}` is not an argument line of `{}`", line.trim(), spec.name),
            format!(
                "write one `name: value` per line, then a blank line before any text; `{}` takes: {}",
                spec.name,
                spec.signature()
            ),
        ));
    }
    for (i, (key, value, n, col)) in parsed.args.iter().enumerate() {
        let value_col = parsed.value_cols.get(i).copied().unwrap_or(*col);
        let Some(a) = spec.args.iter().find(|a| a.name == *key) else {
            let dropped = spec
                .narrowed
                .as_ref()
                .filter(|(_, d)| d.iter().any(|d| d == key));
            // Hostile author s22: `text: …` (or `body:`) in a component whose text is its
            // body was told only the argument names.
            let text_key = matches!(
                key.to_ascii_lowercase().as_str(),
                "text" | "body" | "content" | "quote" | "description"
            ) && spec.body != BodyRule::None;
            let help = match (dropped, suggest(key, names.iter().copied())) {
                _ if text_key => format!(
                    "the text of `{}` is not an argument: write it after the argument lines and a blank line, without `{key}:`; `{}` takes: {}",
                    spec.name,
                    spec.name,
                    spec.signature()
                ),
                (Some((file, _)), _) => format!(
                    "{file} replaces the theme's `{}` and does not declare `{key}`: add `{key}` to its `{{% component {}(…) %}}` line (see the theme's), or remove this line",
                    spec.name, spec.name
                ),
                (None, s) => match s {
                    Some(s) => format!("did you mean `{s}`?"),
                    None if names.is_empty() => format!("`{}` takes no arguments", spec.name),
                    None => format!("`{}` takes: {}", spec.name, spec.signature()),
                },
            };
            errs.push((
                Some(*n),
                *col,
                format!("unknown argument `{key}` for component `{}`", spec.name),
                help,
            ));
            continue;
        };
        if out.contains_key(*key) {
            errs.push((
                Some(*n),
                *col,
                format!("argument `{key}` is given twice"),
                "keep one of the two lines".into(),
            ));
            continue;
        }
        if a.ty == ArgType::String && parsed.nulls.contains(n) {
            // `title: null`, as in YAML or JSON for "no value": here it would be the text.
            let help = if a.required {
                format!(
                    "write the {key} after `{key}:` (in quotes if it is the word itself: `{key}: \"{value}\"`)"
                )
            } else {
                format!(
                    "for no {key}, leave out the `{key}:` line; if it is the word itself, put it in quotes: `{key}: \"{value}\"`"
                )
            };
            errs.push((
                Some(*n),
                value_col,
                format!(
                    "argument `{key}` of `{}` is `{value}`: readers would see the word “{value}”",
                    spec.name
                ),
                help,
            ));
            continue;
        }
        let v = match a.ty {
            ArgType::String => Some(serde_json::Value::String(value.to_string())),
            ArgType::Integer => value.parse::<i64>().ok().map(serde_json::Value::from),
            ArgType::Float => value
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .map(serde_json::Value::from),
            ArgType::Bool => match *value {
                "true" => Some(serde_json::Value::Bool(true)),
                "false" => Some(serde_json::Value::Bool(false)),
                _ => None,
            },
        };
        match v {
            Some(v) if a.required && a.ty == ArgType::String && value.trim().is_empty() => {
                let _ = v;
                errs.push((
                    Some(*n),
                    value_col,
                    format!("argument `{key}` of `{}` is empty", spec.name),
                    format!("write a value after `{key}:`"),
                ));
            }
            Some(v) => {
                out.insert(key.to_string(), v);
            }
            None => errs.push((
                Some(*n),
                value_col,
                format!(
                    "argument `{key}` of `{}` must be {}, found `{value}`",
                    spec.name,
                    a.ty.describe()
                ),
                format!("write `{key}:` followed by {}", a.ty.describe()),
            )),
        }
    }
    for a in spec.args.iter().filter(|a| a.required) {
        if !parsed.args.iter().any(|(k, ..)| *k == a.name) {
            errs.push((
                None,
                1,
                format!(
                    "component `{}` is missing its required argument `{}`",
                    spec.name, a.name
                ),
                format!(
                    "add a line `{}: …` after the opening fence; `{}` takes: {}",
                    a.name,
                    spec.name,
                    spec.signature()
                ),
            ));
        }
    }
    match (spec.body, &parsed.body) {
        (BodyRule::None, Some((_, n))) => errs.push((
            Some(*n),
            1,
            format!(
                "component `{}` takes no text after its arguments",
                spec.name
            ),
            "remove the text, or the blank line if it was meant as an argument".into(),
        )),
        (BodyRule::Required, None) => errs.push((
            None,
            1,
            format!("component `{}` needs text after its arguments", spec.name),
            "after the argument lines, leave a blank line and write the text (markdown)".into(),
        )),
        _ => {}
    }
    (out, errs)
}

/// The complaint for an unknown component name.
pub(crate) fn unknown(name: &str, host: &dyn Host) -> (String, String) {
    let names = host.names();
    let help = match suggest(name, names.iter().copied()) {
        Some(s) => format!("did you mean `{{{s}}}`?"),
        None if names.is_empty() => "the theme defines no components".into(),
        None => format!(
            "the components are: {}",
            names
                .iter()
                .map(|n| format!("{{{n}}}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    (format!("unknown component `{name}`"), help)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure() -> Spec {
        Spec {
            name: "figure".into(),
            args: vec![
                ArgSpec {
                    name: "src".into(),
                    ty: ArgType::String,
                    required: true,
                    kind: Some("image".into()),
                },
                ArgSpec {
                    name: "alt".into(),
                    ty: ArgType::String,
                    required: true,
                    kind: None,
                },
                ArgSpec {
                    name: "width".into(),
                    ty: ArgType::Integer,
                    required: false,
                    kind: None,
                },
            ],
            body: BodyRule::None,
            narrowed: None,
        }
    }

    #[test]
    fn arguments_are_parsed_and_typed() {
        let p = parse("src: /a.png\n  alt: \"A: team\"\nwidth: 40\n");
        let (args, errs) = check(&figure(), &p);
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(args["alt"], "A: team");
        assert_eq!(args["width"], 40);
        assert_eq!(p.args[1].3, 3, "column of an indented argument");
    }

    /// `title: null` (no value in YAML and JSON) would show the word "null" to readers: an
    /// error with the fix, for a required and an optional argument; in quotes it is the word.
    #[test]
    fn a_null_argument_is_an_error_not_the_word_null() {
        let mut spec = figure();
        spec.args.push(ArgSpec {
            name: "caption".into(),
            ty: ArgType::String,
            required: false,
            kind: None,
        });
        let p = parse("src: /a.png\nalt: null\ncaption: ~\n");
        let (args, errs) = check(&spec, &p);
        let msgs: Vec<(Option<usize>, &str, &str)> = errs
            .iter()
            .map(|e| (e.0, e.2.as_str(), e.3.as_str()))
            .collect();
        assert_eq!(msgs.len(), 2, "{msgs:#?}");
        assert_eq!(msgs[0].0, Some(1));
        assert!(
            msgs[0].1.contains("`alt` of `figure` is `null`"),
            "{msgs:#?}"
        );
        assert!(msgs[0].2.contains("`alt: \"null\"`"), "{msgs:#?}");
        assert_eq!(msgs[1].0, Some(2));
        assert!(
            msgs[1]
                .2
                .starts_with("for no caption, leave out the `caption:` line"),
            "{msgs:#?}"
        );
        assert!(!args.contains_key("alt") && !args.contains_key("caption"));
        let p = parse("src: /a.png\nalt: \"null\"\n");
        let (args, errs) = check(&spec, &p);
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(args["alt"], "null");
    }

    #[test]
    fn mistakes_are_located_with_suggestions() {
        let p = parse("src: /a.png\nalr: x\nwidth: wide\njust text\n\nA body.\n");
        let (_, errs) = check(&figure(), &p);
        let msgs: Vec<String> = errs
            .iter()
            .map(|e| format!("{:?} {} | {}", e.0, e.2, e.3))
            .collect();
        assert_eq!(msgs.len(), 5, "{msgs:#?}");
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("Some(1) unknown argument `alr`")
                    && m.ends_with("did you mean `alt`?")),
            "{msgs:#?}"
        );
        assert!(
            msgs.iter().any(|m| m.starts_with(
                "Some(2) argument `width` of `figure` must be a whole number, found `wide`"
            )),
            "{msgs:#?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("Some(3) `just text` is not an argument line")),
            "{msgs:#?}"
        );
        assert!(
            msgs.iter().any(|m| m
                .starts_with("None component `figure` is missing its required argument `alt`")
                && m.contains("`src`, `alt`, `width` (optional)")),
            "{msgs:#?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("Some(5) component `figure` takes no text")),
            "{msgs:#?}"
        );
    }

    #[test]
    fn names_in_braces() {
        assert_eq!(name_of("{figure}"), Some("figure"));
        assert_eq!(name_of(" { details } "), Some("details"));
        assert_eq!(name_of("figure"), None);
        assert_eq!(name_of("rust"), None);
    }
}
