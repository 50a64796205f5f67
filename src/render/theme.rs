//! Theme loading and the template engine (the only module naming `tera`). A theme is the built-in
//! one (embedded at compile time) or a folder named by `theme:`; files in `site/templates/` and
//! `site/static/` override the theme's files of the same name. Templates are compiled once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diagnostics::Diagnostic;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_theme.rs"));
}

/// The built-in theme's strings file of language `code` (`i18n/en.yaml`), as written, for
/// `lmp strings`; the codes it has otherwise.
pub(crate) fn builtin_strings(code: &str) -> Result<&'static str, Vec<&'static str>> {
    let file = format!("i18n/{code}.yaml");
    let mut codes = Vec::new();
    for (rel, bytes) in embedded::FILES {
        if let Some(c) = rel
            .strip_prefix("i18n/")
            .and_then(|f| f.strip_suffix(".yaml"))
        {
            if *rel == file
                && let Ok(text) = std::str::from_utf8(bytes)
            {
                return Ok(text);
            }
            codes.push(c);
        }
    }
    Err(codes)
}

/// Where a static file's bytes come from.
#[derive(Debug, Clone)]
pub(crate) enum StaticSource {
    /// The built-in theme's bytes, or a script whose imports name content-hashed files (see
    /// [`Theme::fingerprint`]).
    Embedded(std::borrow::Cow<'static, [u8]>),
    File(PathBuf),
}

/// A loaded theme: compiled templates and the static files to copy.
pub(crate) struct Theme {
    tera: tera::Tera,
    /// Template name → path shown in diagnostics.
    sources: BTreeMap<String, PathBuf>,
    /// Template name → its text (a site's file where it replaces the theme's), to find where a
    /// template writes a link (QA Q120).
    texts: BTreeMap<String, String>,
    /// Template name → the templates it names (extends, includes, imports), made on first use.
    names: std::sync::OnceLock<BTreeMap<String, Vec<String>>>,
    /// Output-relative path → source; the site's files already override the theme's.
    pub statics: BTreeMap<String, StaticSource>,
    /// Folders the theme was read from (for `serve` to watch).
    pub dirs: Vec<PathBuf>,
    /// The markdown components: `templates/components/NAME.html`, each defining
    /// `{% component NAME(…) %}` (see [`super::components`]).
    pub components: BTreeMap<String, crate::markdown::components::Spec>,
    /// Warnings from walking the theme's and the site's folders (symlinks not followed, special
    /// files), reported with the static files.
    pub warnings: Vec<Diagnostic>,
    /// The theme's words per language (see [`super::strings`]).
    pub strings: super::strings::Catalog,
    /// Stylesheet or script → the name pages link it by (`css/lmp.css` → `css/lmp.3f2a9c01d4.css`
    /// in a build, itself in `serve`): `site.assets` in templates (see [`Theme::fingerprint`]).
    pub assets: BTreeMap<String, String>,
    /// The icon pages name (`<link rel="icon">`): the site's own `static/favicon.svg`, `.png`
    /// or `.ico` when it has one, else the theme's; with its media type. `None` without any.
    pub icon: Option<(String, &'static str)>,
}

/// The icons a site or theme may have, in the order they are preferred, with their media types.
const ICONS: [(&str, &str); 3] = [
    ("favicon.svg", "image/svg+xml"),
    ("favicon.png", "image/png"),
    ("favicon.ico", "image/x-icon"),
];

/// The icon pages name: the site's own (`site_static`: the site's static files) before the
/// theme's, whatever its format (a site with its own `favicon.ico` had the theme's LMP letters
/// in every tab: the pages' `favicon.svg` link wins over a browser's `/favicon.ico`).
fn icon_of(
    statics: &BTreeMap<String, StaticSource>,
    site_static: &[String],
) -> Option<(String, &'static str)> {
    let pick = |has: &dyn Fn(&str) -> bool| {
        ICONS
            .iter()
            .find(|(name, _)| has(name))
            .map(|(name, mime)| (name.to_string(), *mime))
    };
    pick(&|n| site_static.iter().any(|s| s == n)).or_else(|| pick(&|n| statics.contains_key(n)))
}

impl std::fmt::Debug for Theme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Theme")
            .field("templates", &self.sources.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// A template render failure, to be turned into a diagnostic.
#[derive(Debug)]
pub(crate) struct RenderError(pub Diagnostic);

/// The theme folder `theme:` names (relative to the site folder), `None` for the built-in
/// theme; a folder that does not exist is an error at `theme:`'s line, with "did you mean" when
/// a `themes/` folder beside or inside the site folder has a theme of that name (Hugo's
/// `theme: NAME` habit, QA Q79).
pub(crate) fn theme_dir(cfg: &Config, site_dir: &Path) -> Result<Option<PathBuf>, Vec<Diagnostic>> {
    let Some(t) = &cfg.theme else {
        return Ok(None);
    };
    // Named as the other paths are, relative to where lmp runs (`themes/mine`, not
    // `site/../themes/mine`).
    let dir = crate::fsx::tidy(&site_dir.join(t));
    if dir.is_dir() {
        return Ok(Some(dir));
    }
    let site_name = site_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    let name = Path::new(t.trim_end_matches('/'))
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let is_theme = |p: &Path| crate::fsx::is_file(&p.join("templates/base.html"));
    let candidates = [
        (
            format!("../themes/{name}"),
            site_dir.join("..").join("themes").join(&name),
        ),
        (
            format!("themes/{name}"),
            site_dir.join("themes").join(&name),
        ),
        (format!("../{name}"), site_dir.join("..").join(&name)),
    ];
    let found = candidates
        .iter()
        .find(|(_, p)| !name.is_empty() && is_theme(p))
        .map(|(rel, _)| rel.clone());
    let (path, text) = match &cfg.source {
        Some((p, text)) => (p.clone(), Some(text.clone())),
        None => (site_dir.join("config.yaml"), None),
    };
    let (line, col) = cfg.theme_at;
    let mut d = Diagnostic::error(
        path,
        line,
        col,
        format!("the theme folder {} does not exist", dir.display()),
    );
    if let Some(text) = text {
        d = d.with_source(&text);
    }
    let help = match found {
        Some(rel) => format!(
            "did you mean `theme: {rel}`? `theme:` is a folder path relative to the site folder ({site_name}/)"
        ),
        None => format!(
            "`theme:` is a folder path relative to the site folder ({site_name}/), e.g. `theme: ../themes/mine`; remove it to use the built-in theme"
        ),
    };
    Err(vec![d.with_help(help)])
}

impl Theme {
    /// The file a static site path (`/captions/x.vtt`) is read from, for diagnostics: the site's
    /// or theme's file, or the path itself for an embedded or unknown file.
    pub(crate) fn file_of(&self, site_path: &str) -> PathBuf {
        let rel = site_path.trim_start_matches('/');
        match self.statics.get(rel) {
            Some(StaticSource::File(p)) => p.clone(),
            _ => PathBuf::from(rel),
        }
    }

    /// Load the theme for a site. `theme_dir` is `None` for the built-in theme.
    pub(crate) fn load(
        theme_dir: Option<&Path>,
        site_dir: &Path,
        display_root: &Path,
    ) -> Result<Theme, Vec<Diagnostic>> {
        let mut templates: BTreeMap<String, (String, PathBuf)> = BTreeMap::new();
        let mut statics: BTreeMap<String, StaticSource> = BTreeMap::new();
        let mut diags = Vec::new();
        let mut dirs = Vec::new();
        let mut strings = super::strings::Catalog::default();
        let mut theme_args: BTreeMap<String, Vec<String>> = BTreeMap::new();
        match theme_dir {
            None => {
                for (rel, bytes) in embedded::FILES {
                    if let Some(name) = rel.strip_prefix("templates/") {
                        match std::str::from_utf8(bytes) {
                            Ok(s) => {
                                templates.insert(
                                    name.to_string(),
                                    (
                                        s.to_string(),
                                        PathBuf::from(format!("<built-in theme>/templates/{name}")),
                                    ),
                                );
                            }
                            Err(_) => diags.push(Diagnostic::error(
                                format!("<built-in theme>/{rel}"),
                                0,
                                0,
                                "template is not UTF-8",
                            )),
                        }
                    } else if let Some(s) = rel.strip_prefix("static/") {
                        statics.insert(
                            s.to_string(),
                            StaticSource::Embedded(std::borrow::Cow::Borrowed(bytes)),
                        );
                    } else if let Some(code) = rel
                        .strip_prefix("i18n/")
                        .and_then(|f| f.strip_suffix(".yaml"))
                    {
                        let path = PathBuf::from(format!("<built-in theme>/{rel}"));
                        match std::str::from_utf8(bytes) {
                            Ok(text) => strings.add(code, &path, text, &mut diags),
                            Err(_) => diags.push(Diagnostic::error(path, 0, 0, "not UTF-8")),
                        }
                    }
                }
            }
            Some(dir) => {
                if !dir.is_dir() {
                    return Err(vec![Diagnostic::error(display_root.join("config.yaml"), 0, 0, format!("the theme folder {} does not exist", dir.display()))
                        .with_help("fix `theme:` in config.yaml (a path relative to the site folder), or remove it to use the built-in theme")]);
                }
                dirs.push(dir.to_path_buf());
                read_dir_into(
                    (&dir.join("templates"), dir),
                    &dir.join("templates"),
                    &mut templates,
                    &mut diags,
                );
                let walk = crate::fsx::walk_static(&dir.join("static"), dir);
                diags.extend(
                    walk.problems
                        .iter()
                        .map(|p| p.diagnostic(&dir.join("static"))),
                );
                for (rel, abs) in walk.files {
                    statics.insert(rel, StaticSource::File(abs));
                }
                read_strings(&dir.join("i18n"), dir, &mut strings, &mut diags);
            }
        }
        strings.start_site();
        read_strings(&site_dir.join("i18n"), site_dir, &mut strings, &mut diags);
        let site_templates = site_dir.join("templates");
        if site_templates.is_dir() {
            dirs.push(site_templates.clone());
            let mut overrides = BTreeMap::new();
            read_dir_into(
                (&site_templates, site_dir),
                &display_root.join("templates"),
                &mut overrides,
                &mut diags,
            );
            // QA Q64: the arguments of each theme component a site's file replaces.
            for k in overrides.keys() {
                if let Some(name) = k
                    .strip_prefix("components/")
                    .and_then(|n| n.strip_suffix(".html"))
                    && let Some(args) = templates
                        .get(k)
                        .and_then(|(src, _)| declared_args(src, name))
                {
                    theme_args.insert(name.to_string(), args);
                }
            }
            templates.extend(overrides);
        }
        let walk = crate::fsx::walk_static(&site_dir.join("static"), site_dir);
        diags.extend(
            walk.problems
                .iter()
                .map(|p| p.diagnostic(&display_root.join("static"))),
        );
        let site_static: Vec<String> = walk.files.iter().map(|(rel, _)| rel.clone()).collect();
        for (rel, abs) in walk.files {
            statics.insert(rel, StaticSource::File(abs));
        }
        let icon = icon_of(&statics, &site_static);
        let mut tera = tera::Tera::new();
        register_filters(&mut tera);
        let sources: BTreeMap<String, PathBuf> = templates
            .iter()
            .map(|(k, (_, p))| (k.clone(), p.clone()))
            .collect();
        let texts: BTreeMap<String, String> = templates
            .iter()
            .map(|(k, (s, _))| (k.clone(), s.clone()))
            .collect();
        for (s, p) in templates.values() {
            strings.scan_template(p, s);
        }
        let mut raw: Vec<(String, String)> =
            templates.into_iter().map(|(k, (s, _))| (k, s)).collect();
        // One call template per component file, so a component can be rendered by name.
        let component_files: Vec<(String, String)> = raw
            .iter()
            .filter_map(|(k, _)| {
                let name = k.strip_prefix("components/")?.strip_suffix(".html")?;
                let plain = !name.is_empty()
                    && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
                plain.then(|| (name.to_string(), k.clone()))
            })
            .collect();
        for (name, _) in &component_files {
            raw.push((
                call_template(name),
                format!("{{{{ <{name} {{...args}} /> }}}}"),
            ));
        }
        let load_errors_before = diags.iter().any(Diagnostic::is_error);
        let mut usable = true;
        if let Err(e) = tera.add_raw_templates(raw.iter().map(|(k, s)| (k.as_str(), s.as_str()))) {
            let found = tera_diagnostics(&e, &sources, &raw);
            // QA Q18: every template error in one run. An unknown filter stops the loading of
            // every template; with a stand-in of that name (it returns its input) the rest
            // load, so further unknown filters and the errors pages meet when they render
            // (an undefined field) are reported in the same run. The build still fails.
            let mut stand_ins = unknown_filters(&found);
            diags.extend(found);
            usable = false;
            for _ in 0..16 {
                if stand_ins.is_empty() {
                    break;
                }
                let mut t = tera::Tera::new();
                register_filters(&mut t);
                for f in &stand_ins {
                    t.register_filter(
                        f.clone(),
                        |x: tera::Value, _: tera::Kwargs, _: &tera::State| x,
                    );
                }
                match t.add_raw_templates(raw.iter().map(|(k, s)| (k.as_str(), s.as_str()))) {
                    Ok(()) => {
                        tera = t;
                        usable = true;
                        break;
                    }
                    Err(e) => {
                        let more = tera_diagnostics(&e, &sources, &raw);
                        let new: Vec<String> = unknown_filters(&more)
                            .into_iter()
                            .filter(|f| !stand_ins.contains(f))
                            .collect();
                        diags.extend(more);
                        if new.is_empty() {
                            break;
                        }
                        stand_ins.extend(new);
                    }
                }
            }
        }
        let mut components = BTreeMap::new();
        if usable && !load_errors_before {
            for (name, file) in &component_files {
                let path = sources.get(file).cloned().unwrap_or_default();
                match tera.get_component_definition(name) {
                    Some(info) => match component_spec(&info) {
                        Ok(mut spec) => {
                            let dropped: Vec<String> = theme_args
                                .get(name)
                                .into_iter()
                                .flatten()
                                .filter(|a| !spec.args.iter().any(|s| &s.name == *a))
                                .cloned()
                                .collect();
                            if !dropped.is_empty() {
                                let list = dropped
                                    .iter()
                                    .map(|a| format!("`{a}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ");
                                let line = raw
                                    .iter()
                                    .find(|(k, _)| k == file)
                                    .and_then(|(_, s)| {
                                        s.lines().position(|l| l.contains("{% component"))
                                    })
                                    .map_or(1, |i| i + 1);
                                diags.push(
                                    Diagnostic::warning(&path, line, 1, format!(
                                        "this `{name}` replaces the theme's and does not declare {list}, which the theme's `{name}` takes"
                                    ))
                                    .with_help(format!(
                                        "a document that gives {list} gets an error; declare them here too (the theme's line: see docs/theme.md, \"Components\"), even if this template does not show them"
                                    )),
                                );
                                spec.narrowed = Some((path.display().to_string(), dropped));
                            }
                            components.insert(name.clone(), spec);
                        }
                        Err(msg) => diags.push(Diagnostic::error(&path, 1, 1, msg).with_help(
                            "see docs/theme.md, \"Components\", for how a component declares its arguments",
                        )),
                    },
                    None => diags.push(
                        Diagnostic::error(&path, 1, 1, format!("{file} does not define the component `{name}`"))
                            .with_help(format!("start the file with {{% component {name}(…) %}} and end it with {{% endcomponent {name} %}}")),
                    ),
                }
            }
        }
        let theme = |warnings: Vec<Diagnostic>| Theme {
            tera,
            sources,
            texts,
            names: std::sync::OnceLock::new(),
            statics,
            dirs,
            components,
            warnings,
            strings,
            assets: BTreeMap::new(),
            icon,
        };
        if usable && !load_errors_before && diags.iter().any(Diagnostic::is_error) {
            // Templates that loaded with stand-ins: their errors travel with the theme (as
            // [`Theme::warnings`] do) so that the pages are still rendered and checked.
            diags.sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
            diags.dedup_by(|a, b| a.path == b.path && a.line == b.line && a.message == b.message);
            return Ok(theme(diags));
        }
        let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
            diags.into_iter().partition(|d| d.is_error());
        if errors.is_empty() {
            Ok(theme(warnings))
        } else {
            Err(errors.into_iter().chain(warnings).collect())
        }
    }

    /// Name every stylesheet and script of the static files (the theme's and the site's
    /// `static/`) for pages to link: with `hashed`, after its content (`css/lmp.css` →
    /// `css/lmp.3f2a9c01d4.css`, a copy written besides the file itself), so that a host may
    /// cache it for a year and a new version is a new address; without (`lmp serve`, whose
    /// stylesheets are swapped in place on a change), by its own name. A script's imports of
    /// its neighbours (`from './engine.js'`) are rewritten to their hashed names before it is
    /// hashed itself. Deterministic: the names depend on the bytes only.
    pub(crate) fn fingerprint(&mut self, hashed: bool) {
        let names: Vec<String> = self
            .statics
            .keys()
            .filter(|k| is_asset(k))
            .cloned()
            .collect();
        self.assets = names.iter().map(|n| (n.clone(), n.clone())).collect();
        if !hashed {
            return;
        }
        // Unreadable files keep their name (their error comes with the static files).
        let bytes: BTreeMap<String, Vec<u8>> = names
            .iter()
            .filter_map(|n| {
                let b = match self.statics.get(n)? {
                    StaticSource::Embedded(b) => b.to_vec(),
                    StaticSource::File(p) => crate::fsx::read(p).ok()?,
                };
                Some((n.clone(), b))
            })
            .collect();
        // A script's name depends on the names it imports: repeat until no name changes (at
        // most as many rounds as the longest chain of imports; a cycle stops after 8).
        for _ in 0..8 {
            let mut changed = false;
            for (rel, b) in &bytes {
                let name = hashed_name(rel, &imports_renamed(rel, b, &self.assets));
                if self.assets.get(rel) != Some(&name) {
                    self.assets.insert(rel.clone(), name);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        for (rel, b) in bytes {
            let out = imports_renamed(&rel, &b, &self.assets);
            let source = match (out == b, self.statics.get(&rel)) {
                (true, Some(s)) => s.clone(),
                _ => StaticSource::Embedded(std::borrow::Cow::Owned(out)),
            };
            if let Some(name) = self.assets.get(&rel) {
                self.statics.entry(name.clone()).or_insert(source);
            }
        }
    }

    /// The name pages link a stylesheet or script by (see [`Theme::fingerprint`]).
    pub(crate) fn asset<'a>(&'a self, rel: &'a str) -> &'a str {
        self.assets.get(rel).map_or(rel, String::as_str)
    }

    /// The templates a page written by template `name` is made of, each with its file and
    /// text: `name`, then every template it extends, includes or imports, and theirs (QA Q120:
    /// a link written in a site's `templates/base.html` is found there, not reported once per
    /// page template). A template is named by its quoted name (`{% extends "base.html" %}`).
    pub(crate) fn template_chain(&self, name: &str) -> Vec<(&Path, &str)> {
        let names = self.names.get_or_init(|| {
            self.texts
                .iter()
                .map(|(k, text)| {
                    let named = self
                        .texts
                        .keys()
                        .filter(|other| *other != k)
                        .filter(|other| {
                            text.contains(&format!("\"{other}\""))
                                || text.contains(&format!("'{other}'"))
                        })
                        .cloned()
                        .collect();
                    (k.clone(), named)
                })
                .collect()
        });
        let mut seen: Vec<&str> = Vec::new();
        let mut next = vec![name];
        while let Some(n) = next.pop() {
            if seen.contains(&n) || !self.texts.contains_key(n) {
                continue;
            }
            seen.push(n);
            if let Some(more) = names.get(n) {
                next.extend(more.iter().rev().map(String::as_str));
            }
        }
        seen.into_iter()
            .filter_map(|n| Some((self.sources.get(n)?.as_path(), self.texts.get(n)?.as_str())))
            .collect()
    }

    pub(crate) fn has_template(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// Whether template `name` is the built-in theme's, byte for byte (neither a site's file nor
    /// another theme's replaced it, or the replacement is the same text).
    pub(crate) fn is_builtin(&self, name: &str) -> bool {
        let file = format!("templates/{name}");
        match (
            self.texts.get(name),
            embedded::FILES.iter().find(|(rel, _)| *rel == file),
        ) {
            (Some(text), Some((_, bytes))) => text.as_bytes() == *bytes,
            _ => false,
        }
    }

    /// Whether every template is the built-in theme's (see [`Theme::is_builtin`]): the site
    /// (or another theme) replaced or added none.
    pub(crate) fn only_builtin(&self) -> bool {
        self.texts.keys().all(|name| self.is_builtin(name))
    }

    /// Render a template with a serialisable context and parts of it serialised once for many
    /// pages (`shared`: top-level name → value). The same output as [`Theme::render`] with those
    /// parts in `ctx`.
    pub(crate) fn render_with<C: serde::Serialize>(
        &self,
        name: &str,
        ctx: &C,
        shared: &[(&'static str, &Shared)],
    ) -> Result<String, RenderError> {
        let context = self.context_with(name, ctx, shared)?;
        self.tera
            .render(name, &context)
            .map_err(|e| self.render_error(&e))
    }

    /// The context of [`Theme::render_with`].
    fn context_with<C: serde::Serialize>(
        &self,
        name: &str,
        ctx: &C,
        shared: &[(&'static str, &Shared)],
    ) -> Result<tera::Context, RenderError> {
        let mut context = tera::Context::from_serialize(ctx).map_err(|e| {
            RenderError(Diagnostic::error(
                self.path_of(name),
                0,
                0,
                format!("could not build the template context: {e}"),
            ))
        })?;
        for (key, value) in shared {
            // A clone of a map or list is a reference count (tera's values share them).
            context.insert_value(*key, value.0.clone());
        }
        Ok(context)
    }

    /// A template's error, at its place in the theme's sources.
    fn render_error(&self, e: &tera::Error) -> RenderError {
        let raw: Vec<(String, String)> = Vec::new();
        let mut d = tera_diagnostics(e, &self.sources, &raw);
        RenderError(missing_asset(d.remove(0), &self.assets))
    }

    /// [`Theme::render_with`] as bytes: a page goes to its file and the link check as bytes,
    /// so it is not checked as UTF-8 once more (Tera's `render` checks its whole output; the
    /// values and templates it is made of are text already).
    pub(crate) fn render_bytes_with<C: serde::Serialize>(
        &self,
        name: &str,
        ctx: &C,
        shared: &[(&'static str, &Shared)],
    ) -> Result<Vec<u8>, RenderError> {
        let context = self.context_with(name, ctx, shared)?;
        // Rendered into this thread's buffer, then copied at its length: the page keeps no
        // spare room (Tera's own buffer starts at a guess and doubles).
        thread_local! {
            static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        let render = |buf: &mut Vec<u8>| {
            buf.clear();
            let done = self.tera.render_to(name, &context, &mut *buf);
            done.map(|()| buf.to_vec())
                .map_err(|e| self.render_error(&e))
        };
        BUF.with(|cell| match cell.try_borrow_mut() {
            Ok(mut buf) => {
                let page = render(&mut buf);
                if buf.capacity() > 4 << 20 {
                    // A huge page: its room is not kept for the next.
                    *buf = Vec::new();
                }
                page
            }
            // A page rendered while this thread renders one (not done today): its own buffer.
            Err(_) => render(&mut Vec::new()),
        })
    }

    /// Render a template with a serialisable context.
    pub(crate) fn render<C: serde::Serialize>(
        &self,
        name: &str,
        ctx: &C,
    ) -> Result<String, RenderError> {
        let context = self.context_with(name, ctx, &[])?;
        self.tera
            .render(name, &context)
            .map_err(|e| self.render_error(&e))
    }

    /// Render the markdown component `name` with the author's `args` (checked against its spec),
    /// the rendered markdown `content` and the site's `data` for it.
    pub(crate) fn render_component(
        &self,
        name: &str,
        args: &BTreeMap<String, serde_json::Value>,
        content: &str,
        data: &serde_json::Value,
        lang: &str,
    ) -> Result<String, String> {
        let mut ctx = tera::Context::new();
        // serde_json values always serialise.
        ctx.insert("args", args);
        ctx.insert("content", content);
        ctx.insert("data", data);
        // The page's language and its theme words, as in page templates.
        ctx.insert("lang", lang);
        ctx.insert("t", self.strings.of(lang));
        self.tera.render(&call_template(name), &ctx).map_err(|e| {
            let mut msg = e.to_string();
            let mut cause = std::error::Error::source(&e);
            while let Some(c) = cause {
                msg.push_str(": ");
                msg.push_str(&c.to_string());
                cause = c.source();
            }
            msg
        })
    }

    pub(crate) fn path_of(&self, name: &str) -> PathBuf {
        self.sources
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(name))
    }
}

/// The filters lmp adds to Tera's for themes (docs/theme.md).
fn register_filters(tera: &mut tera::Tera) {
    tera.register_filter("heading_level", heading_level);
    tera.register_filter("dir_auto", dir_auto);
    tera.register_filter("isolate", isolate);
    tera.register_filter("lang_attrs", lang_attrs);
}

/// The text of a template value, if it has a right-to-left letter (none has, for most).
fn value_has_rtl(v: &tera::Value) -> bool {
    v.as_str().is_some_and(crate::bidi::has_rtl)
}

/// `<h1{{ doc.title | dir_auto }}>`: ` dir="auto"` when the text (an editor's: a title, a
/// summary, a term's name) has a right-to-left letter, so that the browser lays it out in the
/// direction of its first letter (fix s20: a title starting in Hebrew on an English page had its
/// punctuation on the wrong side); nothing otherwise, so that a page without such text is
/// written as it was.
fn dir_auto(v: &tera::Value, _: tera::Kwargs, _: &tera::State) -> tera::Value {
    // The value borrowed, not cloned: this runs for every title, entry and term of every page.
    tera::Value::safe_string(if value_has_rtl(v) {
        " dir=\"auto\""
    } else {
        ""
    })
}

/// `{{ page.title | isolate }}` in text that takes no attribute (the `<title>`): the text between
/// U+2068 FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL ISOLATE when it has a right-to-left
/// letter, so that it is laid out on its own (a Hebrew title's `!` stays at its end, and
/// " | site name" after it stays in place); as it is otherwise.
fn isolate(v: &tera::Value, _: tera::Kwargs, _: &tera::State) -> tera::Value {
    if !value_has_rtl(v) {
        return v.clone();
    }
    let text = v.as_str().unwrap_or_default();
    let isolated = format!("\u{2068}{text}\u{2069}");
    match v.is_safe() {
        true => tera::Value::safe_string(&isolated),
        false => tera::Value::from(isolated),
    }
}

/// `<a{{ term.lang | lang_attrs(page=site.language, text=term.name) }}>`: the attributes of a
/// text shown in another language than its page's (an English term name, author, region or menu
/// entry standing in on a Spanish or Arabic page): ` lang="en"`, and ` dir="ltr"` when that
/// language is written the other way than the page's (hostile i18n s22: English on an Arabic
/// page took the page's direction, its full stop and brackets on the wrong side). Given the
/// `text`, one with a right-to-left letter gets ` dir="auto"` instead, as [`dir_auto`] gives it
/// (one `dir` on the element, whichever applies). Nothing but that `dir` for "" or the page's
/// own language.
fn lang_attrs(
    v: &tera::Value,
    kwargs: tera::Kwargs,
    _: &tera::State,
) -> tera::TeraResult<tera::Value> {
    let lang = v.as_str().unwrap_or_default();
    let page = kwargs.get::<&str>("page")?.unwrap_or_default();
    let rtl_text = kwargs
        .get::<&tera::Value>("text")?
        .is_some_and(value_has_rtl);
    Ok(tera::Value::safe_string(&lang_attrs_of(
        lang, page, rtl_text,
    )))
}

/// What [`lang_attrs`] gives a text in `lang` on a page in `page` (`rtl_text`: the text has a
/// right-to-left letter).
fn lang_attrs_of(lang: &str, page: &str, rtl_text: bool) -> String {
    let foreign = !lang.is_empty() && lang != page;
    let dir = if rtl_text {
        Some("auto")
    } else if foreign && !page.is_empty() {
        let d = crate::bidi::language_dir(lang);
        (d != crate::bidi::language_dir(page)).then_some(d)
    } else {
        None
    };
    let mut out = String::new();
    if foreign {
        out.push_str(" lang=\"");
        out.push_str(&crate::escape::escape(lang));
        out.push('"');
    }
    if let Some(d) = dir {
        out.push_str(" dir=\"");
        out.push_str(d);
        out.push('"');
    }
    out
}

/// `site.lang_attrs` on the pages of language `page`: for "" and every code of `codes` (the
/// site's languages), the attributes `lang_attrs(page=site.language)` gives a text in that
/// language, as HTML (`{{ site.lang_attrs[doc.lang_of.author] }}`). Made once per build: the
/// filter's call (its arguments looked up by name, its result made anew) was most of what the
/// translated pages' English terms and authors cost (docs/benchmarks.md, session 23). For a
/// text that may have a right-to-left letter, the filter with `text=` (behind `rtl_text`).
pub(crate) fn lang_attrs_table<'a>(page: &str, codes: impl Iterator<Item = &'a str>) -> Shared {
    let mut map = tera::Map::default();
    for code in std::iter::once("").chain(codes) {
        map.insert(
            code.to_string().into(),
            tera::Value::safe_string(&lang_attrs_of(code, page, false)),
        );
    }
    Shared(tera::Value::from(map))
}

/// `{{ card.drawn | heading_level(level=level) }}`: HTML lmp drew ahead with the text `{level}`
/// where a heading level goes (see `super::cards::Drawn`), with `level` there, written as
/// `{{ level }}` writes it; still HTML. A scan for the marker and one copy: Tera's `replace`
/// took four times as long, most of what drawing a card once saved.
fn heading_level(
    html: tera::Value,
    kwargs: tera::Kwargs,
    _: &tera::State,
) -> tera::TeraResult<tera::Value> {
    // The marker's searcher is built once (one per call was most of this filter's cost: it
    // runs for every card of every list).
    let marker = super::cards::Drawn::level_finder();
    let level = kwargs.must_get::<&tera::Value>("level")?;
    let text = html.as_str().unwrap_or_default();
    let owned;
    let level: &str = match level.as_i64() {
        // A heading level: one digit, no allocation.
        Some(n @ 0..=9) => &"0123456789"[n as usize..=n as usize],
        Some(n) => {
            owned = n.to_string();
            &owned
        }
        None if level.is_safe() => {
            owned = level.to_string();
            &owned
        }
        None => {
            let mut out = Vec::new();
            tera::escape_html(&level.to_string(), &mut out)?;
            owned = String::from_utf8_lossy(&out).into_owned();
            &owned
        }
    };
    let mut out = String::with_capacity(text.len() + 2 * level.len());
    let mut rest = text;
    while let Some(i) = marker.find(rest.as_bytes()) {
        out.push_str(&rest[..i]);
        out.push_str(level);
        rest = &rest[i + marker.needle().len()..];
    }
    out.push_str(rest);
    Ok(tera::Value::safe_string(&out))
}

fn call_template(name: &str) -> String {
    format!("__lmp_component__/{name}.html")
}

/// A markdown component's spec from its Tera declaration: typed arguments (`@implicit` ones are
/// the site's, not the author's) and metadata (`"body": "required"|"optional"`, and per argument
/// what its value points at: `"src": "image"`).
fn component_spec(info: &tera::ComponentInfo) -> Result<crate::markdown::components::Spec, String> {
    use crate::markdown::components::{ArgSpec, ArgType, BodyRule, Spec};
    let meta = info.metadata();
    let text = |k: &str| meta.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let mut args = Vec::new();
    for a in info.args() {
        if a.is_implicit() {
            continue;
        }
        let ty = match a.arg_type().map(|t| t.as_str()) {
            None | Some("string") => ArgType::String,
            Some("integer") => ArgType::Integer,
            Some("float") | Some("number") => ArgType::Float,
            Some("bool") => ArgType::Bool,
            Some(other) => {
                return Err(format!(
                    "component `{}`: argument `{}` has type `{other}`; markdown arguments are string, integer, float or bool",
                    info.name(),
                    a.name()
                ));
            }
        };
        let kind = text(a.name());
        if let Some(k) = &kind
            && ![
                "file", "image", "poster", "captions", "region", "video", "markdown",
            ]
            .contains(&k.as_str())
        {
            return Err(format!(
                "component `{}`: argument `{}` is declared as `{k}`; the kinds are file, image, poster, captions, region, video and markdown",
                info.name(),
                a.name()
            ));
        }
        args.push(ArgSpec {
            name: a.name().to_string(),
            ty,
            required: a.is_required(),
            kind,
        });
    }
    let body = match text("body").as_deref() {
        None => BodyRule::None,
        Some("optional") => BodyRule::Optional,
        Some("required") => BodyRule::Required,
        Some(other) => {
            return Err(format!(
                "component `{}`: `\"body\": \"{other}\"` must be \"optional\" or \"required\"",
                info.name()
            ));
        }
    };
    // Required arguments first, in the order the template declares... Tera keeps them sorted.
    args.sort_by_key(|a| !a.required);
    Ok(Spec {
        name: info.name().to_string(),
        args,
        body,
        narrowed: None,
    })
}

/// The argument names a component template declares on its `{% component NAME(…) %}` line
/// (the author's, not `@implicit` ones); `None` when the line is not found. Read from the
/// text, for a theme component that a site's override replaces (QA Q64).
fn declared_args(source: &str, name: &str) -> Option<Vec<String>> {
    let start = source.find(&format!("{{% component {name}("))? + 14 + name.len();
    let rest = source.get(start..)?;
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut args = Vec::new();
    let mut item = String::new();
    for c in rest.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => continue,
            (None, '"' | '\'') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')') if depth == 0 => {
                args.push(std::mem::take(&mut item));
                break;
            }
            (None, ')' | ']' | '}') => depth -= 1,
            (None, ',') if depth == 0 => args.push(std::mem::take(&mut item)),
            _ => {}
        }
        if quote.is_none() && depth == 0 && c != ',' {
            item.push(c);
        }
    }
    Some(
        args.iter()
            .map(|a| {
                a.trim()
                    .split([':', '=', ' '])
                    .next()
                    .unwrap_or("")
                    .to_string()
            })
            .filter(|a| !a.is_empty() && !a.starts_with('@'))
            .collect(),
    )
}

/// Read the strings files `dir/<lang>.yaml` (if the folder exists) into `into`.
fn read_strings(
    dir: &Path,
    root: &Path,
    into: &mut super::strings::Catalog,
    diags: &mut Vec<Diagnostic>,
) {
    if !dir.is_dir() {
        return;
    }
    let walk = crate::fsx::walk(dir, root);
    diags.extend(walk.problems.iter().map(|p| p.diagnostic(dir)));
    for (rel, abs) in walk.files {
        let Some(code) = rel.strip_suffix(".yaml").filter(|c| !c.contains('/')) else {
            continue;
        };
        let path = dir.join(&rel);
        match crate::fsx::read(&abs) {
            Ok(bytes) => match crate::diagnostics::utf8_text(&path, bytes) {
                Ok(text) => into.add(code, &path, &text, diags),
                Err(d) => diags.push(d),
            },
            Err(e) => diags.push(Diagnostic::error(
                dir.join(&rel),
                0,
                0,
                format!("could not read this file: {}", e.root_cause()),
            )),
        }
    }
}

/// Read the templates under `dir` (symlinks followed inside `root`), shown under `display`.
fn read_dir_into(
    (dir, root): (&Path, &Path),
    display: &Path,
    into: &mut BTreeMap<String, (String, PathBuf)>,
    diags: &mut Vec<Diagnostic>,
) {
    let walk = crate::fsx::walk(dir, root);
    diags.extend(walk.problems.iter().map(|p| p.diagnostic(display)));
    for (rel, abs) in walk.files {
        match crate::fsx::read_to_string(&abs) {
            Ok(s) => {
                into.insert(rel.clone(), (s, display.join(&rel)));
            }
            Err(e) => diags.push(
                Diagnostic::error(
                    display.join(&rel),
                    0,
                    0,
                    format!("could not read this template: {}", e.root_cause()),
                )
                .with_help("make the file readable (check its permissions), or remove it"),
            ),
        }
    }
}

/// Turn a tera error into located diagnostics (at least one). Tera 2 keeps the span in
/// `ReportError`; its validation errors (unknown filters, templates...) arrive as rendered reports
/// (`error: msg` then ` --> name:line:col`), which are parsed back.
/// `site.assets["css/Lmp.css"]`, a name that is not a stylesheet or script of the static files:
/// tera says only "Tried to render a variable that is undefined". The help names the asset the
/// template asked for, the closest one, and the ones there are (QA s10).
fn missing_asset(mut d: Diagnostic, assets: &BTreeMap<String, String>) -> Diagnostic {
    if !d.message.contains("undefined") {
        return d;
    }
    let Some(line) = d.source_line.as_deref() else {
        return d;
    };
    let asked = line.split("assets[").skip(1).find_map(|rest| {
        let q = rest.chars().next().filter(|c| matches!(c, '"' | '\''))?;
        let key = rest[1..].split(q).next()?;
        (!assets.contains_key(key)).then(|| key.to_string())
    });
    let Some(key) = asked else {
        return d;
    };
    let names: Vec<&str> = assets.keys().map(String::as_str).collect();
    let mut help = format!("`site.assets` has no `{key}`");
    if let Some(s) = crate::diagnostics::suggest(&key, names.iter().copied()) {
        help.push_str(&format!(": did you mean `site.assets[\"{s}\"]`?"));
    } else if !is_asset(&key) {
        help.push_str(
            ": it names stylesheets and scripts only (`.css`, `.js`); link another file of static/ by its path, `{{ site.base_path }}images/logo.svg`.",
        );
    } else {
        help.push_str(": put the file in the site's static/ folder, or link one that exists.");
    }
    const LISTED: usize = 40;
    if !names.is_empty() {
        let more = names.len().saturating_sub(LISTED);
        help.push_str(&format!(
            " The stylesheets and scripts are: {}{}",
            names[..names.len().min(LISTED)].join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ));
    }
    d.help = Some(help);
    d
}

/// The names of the unknown filters among template errors (`Unknown filter `uper``).
fn unknown_filters(diags: &[Diagnostic]) -> Vec<String> {
    diags
        .iter()
        .filter_map(|d| d.message.split_once("Unknown filter `"))
        .filter_map(|(_, rest)| rest.split_once('`'))
        .map(|(name, _)| name.to_string())
        .filter(|n| !n.is_empty())
        .collect()
}

fn tera_diagnostics(
    e: &tera::Error,
    sources: &BTreeMap<String, PathBuf>,
    raw: &[(String, String)],
) -> Vec<Diagnostic> {
    let text = e.to_string();
    let mut out = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        let Some(msg) = l.strip_prefix("error: ") else {
            continue;
        };
        let Some(loc) = lines
            .get(i + 1)
            .and_then(|n| n.trim_start().strip_prefix("--> "))
        else {
            continue;
        };
        let mut parts = loc.rsplitn(3, ':');
        let (Some(col), Some(line), Some(name)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let (Ok(line), Ok(col)) = (line.parse::<usize>(), col.parse::<usize>()) else {
            continue;
        };
        let path = sources
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(name));
        let src = lines
            .get(i + 3)
            .and_then(|s| s.split_once(" | "))
            .map(|(_, s)| s);
        // Hostile pass s24: "Unknown tag" named no tag: the word at the column, and the tag
        // it most likely is (`{% endfi %}` → `endif`).
        let tag = (msg == "Unknown tag")
            .then(|| src.and_then(|s| tag_at(s, col)))
            .flatten();
        let (message, help) = match &tag {
            Some(word) => (
                format!("template error: `{word}` is not a template tag"),
                crate::diagnostics::suggest(word, TAGS.iter().copied()).map_or_else(
                    || format!("the tags are {}", TAGS.join(", ")),
                    |t| format!("did you mean `{t}`?"),
                ),
            ),
            None => (
                format!("template error: {msg}"),
                did_you_mean(msg).unwrap_or_else(|| {
                    "fix the template; see docs/theme.md for the variables and filters templates can use"
                        .into()
                }),
            ),
        };
        let mut d = Diagnostic::error(path, line, col, message).with_help(help);
        if let Some(src) = src {
            d = d.with_source_line(src);
        }
        out.push(d);
    }
    if out.is_empty() {
        out.push(tera_diagnostic(e, sources, raw));
    }
    out
}

/// Tera 2's built-in filters (`Tera::register_builtin_filters`), for "did you mean".
const FILTERS: &[&str] = &[
    "safe",
    "default",
    "upper",
    "lower",
    "wordcount",
    "escape",
    "escape_html",
    "escape_xml",
    "newlines_to_br",
    "pluralize",
    "trim",
    "trim_start",
    "trim_end",
    "replace",
    "capitalize",
    "title",
    "truncate",
    "indent",
    "str",
    "int",
    "float",
    "length",
    "reverse",
    "split",
    "abs",
    "round",
    "first",
    "last",
    "nth",
    "join",
    "sort",
    "unique",
    "get",
    "values",
    "keys",
    "pairs",
    "group_by",
];

/// "did you mean" for tera's messages about a name (QA Q18): an unknown filter (from the
/// built-in ones), a field or variable that is not defined (from those tera lists).
/// The tags of a template (`{% if %}` … `{% endif %}`), for a misspelt one's suggestion.
/// (Those tera 2's parser reads.)
const TAGS: [&str; 21] = [
    "if",
    "elif",
    "else",
    "endif",
    "for",
    "endfor",
    "break",
    "continue",
    "set",
    "set_global",
    "endset",
    "block",
    "endblock",
    "extends",
    "include",
    "filter",
    "endfilter",
    "component",
    "endcomponent",
    "raw",
    "endraw",
];

/// The word of the tag at 1-based character column `col` of `line` (or just after it: the
/// `{%`, `-` and spaces before the word are skipped).
fn tag_at(line: &str, col: usize) -> Option<String> {
    let rest: String = line.chars().skip(col.saturating_sub(1)).collect();
    let word: String = rest
        .trim_start_matches(['{', '%', '-', ' ', '\t'])
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!word.is_empty()).then_some(word)
}

fn did_you_mean(msg: &str) -> Option<String> {
    let name = msg.split('`').nth(1)?;
    let candidates: Vec<&str> = if msg.starts_with("Unknown filter") {
        FILTERS.to_vec()
    } else {
        let (_, list) = msg
            .split_once("Available fields: ")
            .or_else(|| msg.split_once("Available variables: "))?;
        list.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    };
    let s = crate::diagnostics::suggest(name, candidates.iter().copied())?;
    Some(format!("did you mean `{s}`?"))
}

/// Turn a tera error into a located diagnostic (tera 2 keeps the span in `ReportError`).
fn tera_diagnostic(
    e: &tera::Error,
    sources: &BTreeMap<String, PathBuf>,
    raw: &[(String, String)],
) -> Diagnostic {
    let report = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    let mut msg = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        msg.push_str(": ");
        msg.push_str(&c.to_string());
        cause = c.source();
    }
    match report {
        Some(r) => {
            let path = sources
                .get(r.filename())
                .cloned()
                .unwrap_or_else(|| PathBuf::from(r.filename()));
            let span = r.span();
            let mut d = Diagnostic::error(
                path,
                span.start_line,
                span.start_col + 1,
                format!("template error: {}", r.message()),
            )
            .with_help(did_you_mean(r.message()).unwrap_or_else(|| {
                "fix the template; see docs/theme.md for the variables each template receives"
                    .into()
            }));
            if let Some((_, src)) = raw.iter().find(|(k, _)| k == r.filename()) {
                d = d.with_source(src);
            }
            d
        }
        None => include_cycle(&msg, sources, raw).unwrap_or_else(|| {
            Diagnostic::error(
                PathBuf::from("<theme>"),
                0,
                0,
                format!("template error: {}", first_line(&msg)),
            )
            .with_help(
                "fix the template; see docs/theme.md for the variables each template receives",
            )
        }),
    }
}

/// Tera reports an include cycle with the chain of template names and no place: put it at the
/// include tag that closes the cycle, in the template that holds it.
fn include_cycle(
    msg: &str,
    sources: &BTreeMap<String, PathBuf>,
    raw: &[(String, String)],
) -> Option<Diagnostic> {
    if !msg.contains("Circular include") {
        return None;
    }
    let list = msg.split_once("chain: `[")?.1.split_once("]`")?.0;
    let chain: Vec<&str> = list
        .split(", ")
        .map(|n| n.trim().trim_matches('"'))
        .collect();
    let (included, rest) = chain.split_last()?;
    let including = rest.last()?;
    let start = chain.iter().position(|n| n == included)?;
    let cycle = chain.get(start..)?.join(" → ");
    let (_, text) = raw.iter().find(|(k, _)| k == including)?;
    let (line, col) = include_position(text, included).unwrap_or((0, 0));
    let path = sources
        .get(*including)
        .cloned()
        .unwrap_or_else(|| PathBuf::from(*including));
    let message = if start + 2 == chain.len() {
        format!("template error: `{including}` includes itself")
    } else {
        format!("template error: include cycle: {cycle}")
    };
    Some(
        Diagnostic::error(path, line, col, message)
            .with_source(text)
            .with_help(
                "a template cannot include itself, directly or through the templates it includes: \
                 remove this include or the one that leads back here",
            ),
    )
}

/// (line, column) of `{% include "name" %}` in a template's text, both 1-based, at the name.
fn include_position(text: &str, name: &str) -> Option<(usize, usize)> {
    for quote in ['"', '\''] {
        let needle = format!("{quote}{name}{quote}");
        let mut from = 0;
        while let Some(i) = text.get(from..).and_then(|t| t.find(&needle)) {
            let at = from + i;
            let before = text.get(..at).unwrap_or("").trim_end();
            if before.ends_with("include") {
                let line_start = text
                    .get(..at)
                    .and_then(|t| t.rfind('\n'))
                    .map_or(0, |j| j + 1);
                let line = text.get(..at).map_or(0, |t| t.matches('\n').count()) + 1;
                let col = text.get(line_start..at).map_or(0, |t| t.chars().count()) + 1;
                return Some((line, col));
            }
            from = at + needle.len();
        }
    }
    None
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

/// A part of the template context serialised once and shared by every page that shows it (the
/// theme's words of a language, the `site` view): serialising them for each of 14,000 pages was
/// an eighth of a build's CPU time. A clone is a reference count.
#[derive(Clone)]
pub(crate) struct Shared(tera::Value);

impl Shared {
    /// `None` when `value` cannot be serialised (the page then serialises it itself and reports
    /// the error).
    pub(crate) fn of<T: serde::Serialize>(value: &T) -> Option<Shared> {
        tera::Value::try_from_serializable(value).ok().map(Shared)
    }

    /// HTML that templates write as it is (not escaped again).
    pub(crate) fn html(html: &str) -> Shared {
        Shared(tera::Value::safe_string(html))
    }

    /// This map with `key` set to `value`; `None` when this is not a map.
    pub(crate) fn with(&self, key: &'static str, value: Shared) -> Option<Shared> {
        let mut map = self.0.clone().into_map()?;
        map.insert(key.into(), value.0);
        Some(Shared(tera::Value::from(map)))
    }
}

/// Inside a template context being made, the value itself (a reference count: tera passes its
/// own values through); serialised elsewhere, its fields in no set order, so it is for
/// templates only.
impl serde::Serialize for Shared {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Shared(..)")
    }
}

#[cfg(test)]
mod embedded_tests {
    /// QA s7 Q98: the built-in theme is this checkout's `themes/lmp/`, file for file and byte for
    /// byte (a `target/` copied from another checkout embedded that checkout's theme).
    #[test]
    fn the_embedded_theme_is_this_checkouts_theme() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/lmp");
        let mut on_disk = Vec::new();
        for e in walkdir::WalkDir::new(&root).sort_by_file_name() {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(&root).unwrap();
            // build.rs leaves out dotfiles (an editor's swap file, `.DS_Store`).
            let hidden = rel
                .components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
            if e.file_type().is_file() && !hidden {
                on_disk.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
        let mut embedded: Vec<String> = super::embedded::FILES
            .iter()
            .map(|(rel, _)| rel.to_string())
            .collect();
        embedded.sort();
        on_disk.sort();
        assert_eq!(embedded, on_disk, "the embedded theme has other files");
        for (rel, bytes) in super::embedded::FILES {
            let disk = crate::fsx::read(&root.join(rel)).unwrap();
            assert!(
                disk == *bytes,
                "themes/lmp/{rel} differs from the copy in the binary"
            );
        }
    }
}

/// A stylesheet or script, named after its content in a build (see [`Theme::fingerprint`]).
fn is_asset(rel: &str) -> bool {
    rel.ends_with(".css") || rel.ends_with(".js") || rel.ends_with(".mjs")
}

/// `css/lmp.css` → `css/lmp.3f2a9c01d4.css`: 10 hex digits of the xxh3-128 of the bytes.
fn hashed_name(rel: &str, bytes: &[u8]) -> String {
    let digest = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes));
    let hash = &digest[..10];
    match rel.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !stem.ends_with('/') => {
            format!("{stem}.{hash}.{ext}")
        }
        _ => format!("{rel}.{hash}"),
    }
}

/// A script's bytes with its quoted imports of neighbouring assets (`'./engine.js'`,
/// `"./engine.js"`) renamed as `assets` names them; other files as they are.
fn imports_renamed(rel: &str, bytes: &[u8], assets: &BTreeMap<String, String>) -> Vec<u8> {
    if !(rel.ends_with(".js") || rel.ends_with(".mjs")) {
        return bytes.to_vec();
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return bytes.to_vec();
    };
    let dir = rel.rfind('/').map_or("", |i| &rel[..=i]);
    let mut out = text.to_string();
    for (from, to) in assets {
        if from == rel || from == to {
            continue;
        }
        let (Some(f), Some(t)) = (from.strip_prefix(dir), to.strip_prefix(dir)) else {
            continue;
        };
        if f.contains('/') {
            continue;
        }
        for q in ['\'', '"'] {
            out = out.replace(&format!("{q}./{f}{q}"), &format!("{q}./{t}{q}"));
        }
    }
    out.into_bytes()
}

#[cfg(test)]
mod fingerprint_tests {
    use super::*;

    #[test]
    fn hashed_names_keep_the_folder_and_extension() {
        let a = hashed_name("css/lmp.css", b"body{}");
        assert!(
            a.starts_with("css/lmp.")
                && a.ends_with(".css")
                && a.len() == "css/lmp..css".len() + 10,
            "{a}"
        );
        assert_eq!(a, hashed_name("css/lmp.css", b"body{}"), "deterministic");
        assert_ne!(
            a,
            hashed_name("css/lmp.css", b"body{ }"),
            "a new version is a new name"
        );
    }

    #[test]
    fn a_script_imports_its_neighbours_by_their_hashed_names() {
        let assets: BTreeMap<String, String> = [
            ("search/engine.js", "search/engine.0123456789.js"),
            ("search/search-ui.js", "search/search-ui.js"),
            ("js/video.js", "js/video.abcdefabcd.js"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let out = imports_renamed(
            "search/search-ui.js",
            b"import { A } from './engine.js';\nimport \"./engine.js\";\nconst v = './video.js';\n",
            &assets,
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "import { A } from './engine.0123456789.js';\nimport \"./engine.0123456789.js\";\nconst v = './video.js';\n"
        );
    }
}

#[cfg(test)]
mod shared_tests {
    use super::super::view::TermView;

    fn view() -> TermView {
        TermView {
            slug: "patient-safety".into(),
            name: "Patient <safety> & \"care\"".into(),
            lang: "en".into(),
            url: "/es/topics/patient-safety/".into(),
            count: 12,
            value: None,
            rtl_text: false,
        }
    }

    /// A term view made into a template value once (`TermView::shared`) renders as its fields
    /// do, alone and in a list; and a page's fingerprint (serve's reuse) is the
    /// same with or without it, so a page is reused exactly when it was before.
    #[test]
    fn a_shared_term_view_renders_and_fingerprints_as_its_fields() {
        #[derive(serde::Serialize)]
        struct Page<'a> {
            term: &'a TermView,
            terms: Vec<&'a TermView>,
        }
        let mut tera = tera::Tera::new();
        tera.add_raw_template(
            "t.html",
            "{{ term.slug }}|{{ term.name }}|{{ term.lang }}|{{ term.url }}|{{ term.count }}\
             {% for t in terms %};{{ t.name }}{% if t.count > 1 %}s{% endif %}{% endfor %}",
        )
        .unwrap();
        let plain = view();
        let shared = view().shared();
        assert!(plain.value.is_none() && shared.value.is_some());
        let render = |v: &TermView| {
            let page = Page {
                term: v,
                terms: vec![v, v],
            };
            let ctx = tera::Context::from_serialize(&page).unwrap();
            tera.render("t.html", &ctx).unwrap()
        };
        assert_eq!(
            render(&plain),
            "patient-safety|Patient &lt;safety&gt; &amp; &quot;care&quot;|en|/es/topics/patient-safety/|12;Patient &lt;safety&gt; &amp; &quot;care&quot;s;Patient &lt;safety&gt; &amp; &quot;care&quot;s"
        );
        assert_eq!(render(&shared), render(&plain));
        assert_eq!(
            crate::render::fingerprint::of("t.html", &shared),
            crate::render::fingerprint::of("t.html", &plain)
        );
        // Another name is another digest (and another value).
        let mut renamed = view();
        renamed.name = "Safety".into();
        let renamed = renamed.shared();
        assert_ne!(render(&renamed), render(&shared));
        assert_ne!(
            crate::render::fingerprint::of("t.html", &renamed),
            crate::render::fingerprint::of("t.html", &shared)
        );
    }
}

#[cfg(test)]
mod lang_attrs_tests {
    /// `site.lang_attrs[code]` (made once per build) writes what `code | lang_attrs(page=…)`
    /// writes, for every language of the site seen from the pages of each, "" included, HTML
    /// as it is (not escaped again), left to right and right to left.
    #[test]
    fn the_table_writes_what_the_filter_writes() {
        let codes = ["en", "es", "ar", "he-IL", "az-Arab"];
        let mut tera = tera::Tera::new();
        super::register_filters(&mut tera);
        let mut source = String::new();
        for c in std::iter::once("").chain(codes) {
            source.push_str(&format!(
                "[{{{{ \"{c}\" | lang_attrs(page=site.language) }}}}|{{{{ site.lang_attrs[\"{c}\"] }}}}]"
            ));
        }
        tera.add_raw_template("t.html", &source).unwrap();
        let mut seen = Vec::new();
        for page in codes {
            let table = super::lang_attrs_table(page, codes.into_iter());
            let site = super::Shared::of(&serde_json::json!({ "language": page }))
                .unwrap()
                .with("lang_attrs", table)
                .unwrap();
            let mut ctx = tera::Context::new();
            ctx.insert("site", &site);
            let out = tera.render("t.html", &ctx).unwrap();
            for pair in out.trim_matches(['[', ']']).split("][") {
                let (filter, table) = pair.split_once('|').unwrap();
                assert_eq!(table, filter, "page {page}: {out}");
            }
            seen.push(out);
        }
        // What the filter gives: nothing for the page's own language, `dir` where it differs.
        assert!(
            seen[0].contains(r#"[ lang="es"| lang="es"]"#),
            "{}",
            seen[0]
        );
        assert!(
            seen[2].contains(r#"[ lang="en" dir="ltr"| lang="en" dir="ltr"]"#),
            "{}",
            seen[2]
        );
        assert!(
            seen[2].contains("[ lang=\"he-IL\"| lang=\"he-IL\"]"),
            "{}",
            seen[2]
        );
        assert!(seen[2].contains("[|]"), "{}", seen[2]);
    }
}
