//! The markdown components' host: renders a checked component call (see
//! [`crate::markdown::components`]) with its theme template, `templates/components/NAME.html`,
//! giving the template the site's data for the arguments declared with a kind:
//! - `file`: a file under `static/` → `data.<arg>` = `{url, permalink, name, type, size, bytes}`
//!   (`type` like "PDF", `size` like "240 kB");
//! - `image`: a file under `static/` or an `https://` URL → `data.<arg>` = `{url}`, and for an
//!   image of the site the [`crate::media::ImageView`] fields (`src`, `srcset`, `sources`,
//!   `sizes`, `width`, `height`): the image pipeline's ladder; a file that is not an image is an
//!   error at the argument;
//! - `poster`: as `image`, but only a file under `static/` (a picture on another site would be
//!   loaded before the reader chooses play: an error at the argument);
//! - `captions`: a WebVTT file under `static/` → `data.<arg>` = `{url, …}` like `file`, checked
//!   (a malformed header, cue or time is an error at the argument naming the line), with `lang`
//!   (the site language its name ends with, `clip.es.vtt`, else the page's) and `label` (the
//!   track's name for the player's menu in the page's words);
//! - `region`: a region slug, or `national` → `data.<arg>` = the figures the region page shows
//!   (or the national totals the regions page shows);
//! - `markdown`: text with inline markdown (a caption, a credit, a summary) → `data.<arg>` = its
//!   HTML, rendered by the markdown writer so its links are resolved and checked where written;
//! - `video`: a document of the videos collection (its slug), a YouTube or Vimeo address, or a
//!   video file under `static/` → `data.<arg>` = `{provider, service, url, player, script, id, file,
//!   type, page, title, duration, captions, captions_lang, captions_other, poster}` (`provider` is `file`, `youtube`, `vimeo`,
//!   or `page` for a video document without media of its own; `player` is the privacy-preserving
//!   player loaded after a click, `script` the facade's script; `poster` the video's image view, or null).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::theme::{StaticSource, Theme};
use crate::config::Config;
use crate::content::collections::{Collection, Fields, Region};
use crate::content::graph::Graph;
use crate::content::taxonomy::Taxonomy;
use crate::diagnostics::suggest;
use crate::markdown::components::{Host, Problem, Spec};
use crate::util::percent;

/// Components rendered with a theme, for one build's config and content.
pub(crate) struct SiteComponents<'a> {
    pub theme: &'a Theme,
    pub cfg: &'a Config,
    pub graph: &'a Graph,
    /// The static files' images (ladders), from [`crate::media::process_statics`].
    pub images: &'a crate::media::Images,
}

impl Host for SiteComponents<'_> {
    fn spec(&self, name: &str) -> Option<&Spec> {
        self.theme.components.get(name)
    }

    fn names(&self) -> Vec<&str> {
        self.theme.components.keys().map(String::as_str).collect()
    }

    fn render(
        &self,
        name: &str,
        args: &BTreeMap<String, Value>,
        body: &str,
        lang: &str,
    ) -> Result<String, Problem> {
        let lang = self.lang(lang);
        let spec = self.spec(name).ok_or_else(|| Problem {
            arg: None,
            message: format!("unknown component `{name}`"),
            help: String::new(),
            caused: false,
        })?;
        let mut data = serde_json::Map::new();
        for a in &spec.args {
            let (Some(kind), Some(Value::String(v))) = (&a.kind, args.get(&a.name)) else {
                continue;
            };
            let d = match kind.as_str() {
                "file" => self.file(v, lang),
                "image" => self.image(v),
                "poster" => self.poster_arg(v),
                "captions" => self.captions(v, lang),
                "region" => self.region(v, lang),
                "video" => self.video(v, lang),
                // Rendered by the markdown writer (links resolved and checked there).
                "markdown" => Ok(args
                    .get(&crate::markdown::components::html_key(&a.name))
                    .cloned()
                    .unwrap_or(Value::Null)),
                _ => Ok(Value::Null),
            }
            .map_err(|(message, help)| Problem {
                arg: Some(a.name.clone()),
                caused: kind == "region"
                    && (self.broken_region(v).is_some() || self.renamed_region(v).is_some()),
                message,
                help,
            })?;
            // A YouTube or Vimeo address has no page of the site to take its title from: the
            // play button and the player's title need the component's own.
            let hosted = matches!(
                d.get("provider").and_then(Value::as_str),
                Some("youtube" | "vimeo")
            );
            // A video of the site has its page's title.
            let untitled = [args.get("title"), d.get("title")].into_iter().all(|t| {
                t.and_then(Value::as_str)
                    .is_none_or(|t| t.trim().is_empty())
            });
            if kind == "video" && hosted && untitled && spec.args.iter().any(|a| a.name == "title")
            {
                return Err(Problem {
                    arg: Some(a.name.clone()),
                    message: format!("the {} video {v} has no `title`", d.get("service").and_then(Value::as_str).unwrap_or("hosted")),
                    help: "add `title: …` saying what the video is: the play button and the player announce it to screen-reader users (\"Play “the video”\" tells them nothing)".into(),
                    caused: false,
                });
            }
            data.insert(a.name.clone(), d);
        }
        let args: BTreeMap<String, Value> = args
            .iter()
            .filter(|(k, _)| !crate::markdown::components::is_html_key(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        self.theme
            .render_component(name, &args, body, &Value::Object(data), lang)
            .map_err(|e| Problem {
                arg: None,
                message: format!("component `{name}` failed to render: {e}"),
                help: format!(
                    "fix the template components/{name}.html (see docs/theme.md, \"Components\")"
                ),
                caused: false,
            })
    }

    fn alert_title(&self, kind: &str, lang: &str) -> Option<String> {
        let s = self.theme.strings.of(self.lang(lang));
        s.get(&format!("alert_{kind}")).cloned()
    }

    fn label(&self, key: &str, lang: &str) -> Option<String> {
        let s = self.theme.strings.of(self.lang(lang));
        s.get(key).cloned()
    }

    fn digest(&self) -> u128 {
        // The specs, and the alert titles and labels (written by the markdown renderer, not by
        // a template whose output each call records).
        let alerts: Vec<(&String, Vec<(&String, &String)>)> = self
            .theme
            .strings
            .langs
            .iter()
            .map(|(code, s)| {
                let words = s
                    .iter()
                    .filter(|(k, _)| k.starts_with("alert_") || k.starts_with("md_"))
                    .collect();
                (code, words)
            })
            .collect();
        xxhash_rust::xxh3::xxh3_128(format!("{:?}{alerts:?}", self.theme.components).as_bytes())
    }
}

type Bad = (String, String);

impl SiteComponents<'_> {
    /// A page's language code, the site's default for "".
    fn lang<'l>(&'l self, lang: &'l str) -> &'l str {
        if lang.is_empty() {
            &self.cfg.default_language().code
        } else {
            lang
        }
    }

    /// The theme's words of a language.
    fn words(&self, lang: &str) -> &crate::render::strings::Strings {
        self.theme.strings.of(lang)
    }

    /// Document `i` in language `lang`: its translation when it has one, else itself.
    fn in_lang(&self, i: usize, lang: &str) -> &crate::content::Document {
        let j = self.graph.translation_in(i, lang).unwrap_or(i);
        &self.graph.docs[j]
    }

    /// A static file by its site path (`/files/x.pdf`): its output-relative key and size.
    fn static_file(&self, value: &str, what: &str) -> Result<(String, u64), Bad> {
        let key = value.trim_start_matches('/');
        // Written as an address (`Mi%20V%C3%ADdeo%20%231.mp4`, as a markdown link may be): the
        // file of that name (`%23` is the one way to write a `#` in a name: `#` starts a fragment).
        let decoded = crate::escape::percent_decode(key);
        let key = match self.theme.statics.contains_key(key) {
            false if self.theme.statics.contains_key(decoded.as_str()) => decoded.as_str(),
            _ => key,
        };
        if let Some(src) = self.theme.statics.get(key) {
            let size = match src {
                StaticSource::Embedded(b) => b.len() as u64,
                StaticSource::File(p) => crate::fsx::file_size(p).unwrap_or(0),
            };
            return Ok((key.to_string(), size));
        }
        // The names on disk are compared with the name written, escapes decoded.
        let help = match suggest(&decoded, self.theme.statics.keys().map(String::as_str)) {
            // A `#` or `?` of the name written as an escape: as it is, it would start a
            // fragment or a query, and this help would lead to another error.
            Some(s) if s.contains(['#', '?']) => format!(
                "did you mean `/{}`?",
                s.replace('%', "%25")
                    .replace('#', "%23")
                    .replace('?', "%3F")
            ),
            Some(s) => format!("did you mean `/{s}`?"),
            None => {
                let example = match what {
                    "image" => "images/photo.jpg",
                    "video" => "videos/clip.mp4",
                    "captions file" => "captions/clip.vtt",
                    _ => "files/handout.pdf",
                };
                format!(
                    "put the {what} under `static/` in the site folder and write its address from the site root, e.g. `/{example}` for `static/{example}`"
                )
            }
        };
        Err((format!("the file {value} does not exist"), help))
    }

    fn file(&self, value: &str, lang: &str) -> Result<Value, Bad> {
        let (key, bytes) = self.static_file(value, "file")?;
        let name = key.rsplit('/').next().unwrap_or(&key).to_string();
        // QA Q33: an empty file (a failed upload or export) was offered as "(PDF, 0 bytes)".
        if bytes == 0 {
            return Err((
                format!("{value} is empty (0 bytes): readers would download nothing"),
                format!("copy the real file over site/static/{key}, or remove the download"),
            ));
        }
        Ok(json!({
            "url": self.cfg.file_url(&key),
            "name": name,
            "permalink": self.cfg.file_permalink(&key),
            "type": crate::render::strings::file_type(&name, self.words(lang)),
            "size": crate::render::strings::size(bytes, self.words(lang)),
            "bytes": bytes,
        }))
    }

    fn image(&self, value: &str) -> Result<Value, Bad> {
        // An address of the site itself (`https://example.org/images/x.jpg` with that base
        // URL) is its file under static/, resized like any: it is not on another site, and a
        // missing one is one error here, not a warning and a broken link (session 24).
        let own = crate::config::own_address(&self.cfg.base_url, value);
        if own.is_none() && (value.starts_with("https://") || value.starts_with("http://")) {
            return Ok(json!({ "url": value }));
        }
        let site_path = own.map(|rest| format!("/{rest}"));
        let (key, _) = match (
            self.static_file(site_path.as_deref().unwrap_or(value), "image"),
            &site_path,
        ) {
            (Ok(found), _) => found,
            (Err(_), Some(p)) => {
                return Err((
                    format!(
                        "the picture {value} is on this site (its address starts with the base_url of config.yaml), but there is no file static{p}"
                    ),
                    format!(
                        "put the picture at static{p} in the site folder and write its site path (`src: {p}`), or give the address of a picture on another site"
                    ),
                ));
            }
            (Err(e), None) => return Err(e),
        };
        let path = format!("/{key}");
        if let Some(crate::media::Entry::NotImage(why)) = self.images.get(&path) {
            let (message, help) = crate::media::checks::unusable(
                value,
                why,
                "use a JPEG, PNG, WebP or GIF photo, or an SVG drawing, under static/",
            );
            return Err((message, help.into()));
        }
        let mut v = crate::media::image_view(self.images, self.cfg, &path, "", "", "")
            .and_then(|v| serde_json::to_value(v).ok())
            .unwrap_or_else(|| json!({}));
        if let Some(m) = v.as_object_mut() {
            m.insert("url".into(), Value::String(self.cfg.file_url(&key)));
        }
        Ok(v)
    }

    /// A video's poster given by the author: an image of the site, never another site's (the
    /// facade would load it before the reader chooses play, which is what it is there to avoid).
    fn poster_arg(&self, value: &str) -> Result<Value, Bad> {
        if value.contains("://") || value.starts_with("//") {
            return Err((
                format!("{value}: a poster from another site would be loaded before the reader chooses play"),
                "save the picture under static/ (e.g. `static/images/posters/our-video.jpg`) and write `poster: /images/posters/our-video.jpg`".into(),
            ));
        }
        self.image(value)
    }

    /// A captions file: a file under static/ that is valid WebVTT.
    fn captions(&self, value: &str, lang: &str) -> Result<Value, Bad> {
        let (key, _) = self.static_file(value, "captions file")?;
        let bytes = match self.theme.statics.get(&key) {
            Some(StaticSource::Embedded(b)) => b.to_vec(),
            Some(StaticSource::File(p)) => crate::fsx::read(p).unwrap_or_default(),
            None => Vec::new(),
        };
        if let Err(ds) = crate::media::video::check_captions(&bytes, std::path::Path::new(&key)) {
            let first = ds.first();
            return Err((
                format!(
                    "{value} is not valid WebVTT: line {}, column {}: {}",
                    first.map_or(1, |d| d.line),
                    first.map_or(1, |d| d.col),
                    first.map_or("", |d| d.message.as_str())
                ),
                first
                    .and_then(|d| d.help.clone())
                    .unwrap_or_else(|| "fix the captions file".into()),
            ));
        }
        let mut out = self.file(value, lang)?;
        // The track's language: the one its name gives (`clip.es.vtt`), else the page's (a
        // Spanish page's captions are Spanish unless the name says otherwise).
        let track = self.lang_of_name(&key).unwrap_or(lang);
        let word = |l: &str| self.words(l).get("captions").cloned().unwrap_or_default();
        // The player's menu names the track in the page's words, saying when it is in the
        // site's first language and the page is not (as for a video page's own captions);
        // another language's track by its own word ("Subtítulos").
        let label = if track == lang {
            word(lang)
        } else if track == self.cfg.default_language().code {
            let note = self
                .words(lang)
                .get("link_in_original_language")
                .cloned()
                .unwrap_or_default();
            format!("{} {note}", word(lang)).trim_end().to_string()
        } else {
            word(track)
        };
        out["lang"] = json!(track);
        out["label"] = json!(label);
        Ok(out)
    }

    /// The site language a file's name ends with before its extension: `es` for
    /// `clip.es.vtt`, `clip-es.vtt` or `clip_es.vtt` on a site with Spanish.
    fn lang_of_name(&self, key: &str) -> Option<&str> {
        let name = key.rsplit('/').next()?;
        let stem = name.rsplit_once('.')?.0;
        let code = stem.rsplit(['.', '-', '_']).next()?;
        if code.len() == stem.len() {
            return None;
        }
        self.cfg
            .languages
            .iter()
            .find(|l| l.code.eq_ignore_ascii_case(code))
            .map(|l| l.code.as_str())
    }

    /// The poster of a video document: its `image`, through the image pipeline.
    fn poster(&self, d: &crate::content::Document) -> Value {
        d.common
            .image
            .as_deref()
            .and_then(|p| crate::media::image_view(self.images, self.cfg, p, "", "", ""))
            .and_then(|v| serde_json::to_value(v).ok())
            .unwrap_or(Value::Null)
    }

    fn video(&self, value: &str, lang: &str) -> Result<Value, Bad> {
        use crate::media::video;
        let blank = |provider: &str, url: &str| {
            json!({ "provider": provider, "service": "", "id": "", "url": url, "player": "",
                "file": "", "type": "", "page": "", "title": "", "duration": "",
                "captions": "", "captions_lang": "", "captions_other": false, "poster": Value::Null, "lang": "" })
        };
        // A document of the videos collection, by slug or URL: its page, title and media.
        let slug = value
            .strip_prefix("/videos/")
            .unwrap_or(value)
            .trim_end_matches('/');
        if !slug.is_empty()
            && !slug.contains(['/', '.', ':'])
            && let Some(i) = self.graph.index_of_slug(Collection::Videos, slug)
            && i < self.graph.docs.len()
            && let d = self.in_lang(i, lang)
            && let Fields::Video(v) = &d.fields
        {
            let page = self.cfg.url(&d.url);
            let mut out = match (&v.src, v.embed.as_deref().and_then(video::hosted)) {
                (Some(src), _) => {
                    let mut o = blank("file", &page);
                    o["file"] = json!(self.media_url(src));
                    o["type"] = json!(video::mime_of(src));
                    o
                }
                (None, Some(h)) => self.hosted_json(&h, blank("", "")),
                (None, None) => blank("page", &page),
            };
            out["page"] = json!(page);
            out["title"] = json!(d.common.title);
            // The video's page is in another language (no translation yet): say so.
            out["lang"] = json!(if d.lang == lang { "" } else { d.lang.as_str() });
            out["duration"] = json!(v.duration.clone().unwrap_or_default());
            // The captions' language: a translation showing its original's captions shows
            // them in the original's language (QA Q68).
            out["captions_lang"] = json!(match &d.translation {
                Some(_) if d.inherits("captions") => self.cfg.default_language().code.as_str(),
                _ => d.lang.as_str(),
            });
            // Captions in another language than the page's: the player's menu says so.
            out["captions_other"] = json!(out["captions_lang"].as_str() != Some(lang));
            out["captions"] = json!(
                v.captions
                    .as_deref()
                    .map(|c| self.media_url(c))
                    .unwrap_or_default()
            );
            out["poster"] = self.poster(d);
            return Ok(out);
        }
        if let Some(h) = video::hosted(value) {
            return Ok(self.hosted_json(&h, blank("", "")));
        }
        if let Some(refused) = video::bad_service_address(value) {
            return Err(refused);
        }
        if value.starts_with("https://") || value.starts_with("http://") {
            return Err((
                format!("{value}: not a YouTube or Vimeo address"),
                "use a video of the site (`src: union-delegates-conference-2013`, the file name in videos/), a YouTube (https://www.youtube.com/watch?v=…) or Vimeo (https://vimeo.com/…) address, or a video file under static/".into(),
            ));
        }
        let (key, _) = self.static_file(value, "video").map_err(|(m, h)| {
            let videos: Vec<&str> = self
                .graph
                .docs
                .iter()
                .filter(|d| d.collection == Collection::Videos)
                .filter_map(|d| d.rel.strip_prefix("videos/")?.strip_suffix(".md"))
                .collect();
            let message = format!("{value}: no such video in videos/ or file under static/");
            match suggest(slug, videos.iter().copied()) {
                Some(s) => (message, format!("did you mean `{s}`?")),
                // A bare YouTube id, as YouTube's share box shows it (QA s6).
                None if video::looks_like_youtube_id(value) => (
                    message,
                    format!("`{value}` looks like a YouTube video id: write the video's address, `src: https://youtu.be/{value}`"),
                ),
                // A path-like value was meant as a file: the file's help.
                None if value.contains('/') => (m, h),
                None => (
                    message,
                    match videos.first() {
                        Some(v) => format!("use a video of the site by its file name in videos/ (e.g. `src: {v}`), a YouTube or Vimeo address, or a video file under static/ (`/videos/clip.mp4` for `static/videos/clip.mp4`)"),
                        None => "use a YouTube or Vimeo address, or a video file under static/ (`/videos/clip.mp4` for `static/videos/clip.mp4`); the site has no video pages in videos/".into(),
                    },
                ),
            }
        })?;
        // The file's content must be a video browsers play, as for a video page's `src`.
        let head = match self.theme.statics.get(&key) {
            Some(StaticSource::Embedded(b)) => b.get(..16).unwrap_or(b.as_ref()).to_vec(),
            Some(StaticSource::File(p)) => crate::fsx::read_prefix(p, 16).unwrap_or_default(),
            None => Vec::new(),
        };
        match video::sniff(&head) {
            None => {
                return Err((
                    format!("{value} is not an MP4 or WebM video"),
                    "export the video as MP4 (H.264 and AAC) or WebM, which every browser plays"
                        .into(),
                ));
            }
            Some(m) if m != video::mime_of(&key) => {
                let ext = m.trim_start_matches("video/");
                return Err((
                    format!(
                        "{value} is a {} file with another extension",
                        ext.to_uppercase()
                    ),
                    format!("rename it to end in .{ext}"),
                ));
            }
            Some(_) => {}
        }
        let url = self.cfg.file_url(&key);
        let mut out = blank("file", &url);
        out["file"] = json!(url);
        out["type"] = json!(video::mime_of(&key));
        Ok(out)
    }

    /// A YouTube or Vimeo video's fields, over `base`.
    fn hosted_json(&self, h: &crate::media::video::Hosted, mut base: Value) -> Value {
        base["provider"] = json!(h.provider);
        base["service"] = json!(h.name());
        base["id"] = json!(h.id);
        base["url"] = json!(h.watch_url());
        base["player"] = json!(h.player_url());
        base["script"] = json!(
            self.cfg
                .url(&format!("/{}", self.theme.asset("js/video.js")))
        );
        base
    }

    /// A media address from front matter: absolute URLs as they are, site paths (files as named
    /// on disk) with the base, percent-encoded.
    fn media_url(&self, v: &str) -> String {
        if v.contains("://") {
            v.to_string()
        } else {
            self.cfg.file_url(v)
        }
    }

    fn region(&self, value: &str, lang: &str) -> Result<Value, Bad> {
        let words = self.words(lang);
        let number = |n: i64| crate::render::strings::number(n, words);
        let month = |d: crate::util::Date| crate::render::strings::month_year(d, words);
        let g = self.graph;
        let terms: Vec<&str> = g
            .taxonomies
            .get(&Taxonomy::Regions)
            .into_iter()
            .flatten()
            .map(|t| t.slug.as_str())
            .collect();
        if value == "national" {
            let (mut ubts, mut hp, mut with_teams) = (0i64, 0i64, 0usize);
            let mut as_of = None;
            for slug in &terms {
                if let Some((_, r)) = self.region_doc(slug)
                    && let (Some(u), Some(h)) = (r.ubts, r.high_performing_ubts)
                {
                    ubts += u;
                    hp += h;
                    with_teams += 1;
                    // The oldest, as on the regions page (QA Q70).
                    as_of = as_of.into_iter().chain(r.as_of).min();
                }
            }
            return Ok(json!({
                "national": true,
                "title": words.get("chart_all_regions").cloned().unwrap_or_else(|| "All regions".into()),
                "title_lang": "",
                "url": self.cfg.url(&format!("{}regions/", self.prefix(lang))),
                "ubts": number(ubts),
                "high_performing_ubts": number(hp),
                "share_percent": if ubts > 0 { percent(hp, ubts).to_string() } else { String::new() },
                "regions_with_teams": with_teams,
                "as_of_display": as_of.map(month).unwrap_or_default(),
            }));
        }
        let Some((i, r)) = self.region_doc(value) else {
            if let Some(path) = self.broken_region(value) {
                // QA Q17: the region exists but its file has errors (reported there).
                return Err((
                    format!("region `{value}` is not built: {path} has errors"),
                    "fix the errors in that file first; this one then goes away".into(),
                ));
            }
            // QA Q43: `hawaii` where the region's file was renamed `hawai.md` (its title still
            // "Hawaii"): the file name is the typo; "did you mean `hawai`?" spread it.
            if let Some((path, slug)) = self.renamed_region(value) {
                return Err((
                    format!("unknown region `{value}`"),
                    format!(
                        "{path} (its title gives `{value}`) is most likely this region with a typo in its file name: rename it to {value}.md; if it was renamed on purpose, write `region: {slug}`"
                    ),
                ));
            }
            let mut names = terms.clone();
            names.push("national");
            let help = match suggest(value, names.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("the regions are: {}", names.join(", ")),
            };
            return Err((format!("unknown region `{value}`"), help));
        };
        let d = self.in_lang(i, lang);
        // A translated region's own figures fields (`members_display`, `medical_offices_label`).
        let r = match &d.fields {
            Fields::Region(t) => t,
            _ => r,
        };
        let other = if d.lang == lang { "" } else { d.lang.as_str() };
        // A region with no page in `lang`: its name there from `terms: regions:`, if given.
        let named = (d.lang != lang)
            .then(|| self.cfg.lang(lang)?.terms.get("regions")?.get(value))
            .flatten();
        let (title, other) = match named {
            Some(name) => (name.as_str(), ""),
            None => (d.common.title.as_str(), other),
        };
        let n = |v: Option<i64>| v.map(number).unwrap_or_default();
        Ok(json!({
            "national": false,
            "title": title,
            "title_lang": other,
            "url": self.cfg.url(&d.url),
            "members_display": r.members_display.clone().unwrap_or_else(|| n(r.members)),
            "medical_offices": n(r.medical_offices),
            "medical_offices_label": r.medical_offices_label.clone().unwrap_or_else(|| words.get("medical_offices").cloned().unwrap_or_else(|| "medical offices".into())),
            "hospitals": n(r.hospitals),
            "ubts": n(r.ubts),
            "high_performing_ubts": n(r.high_performing_ubts),
            "share_percent": match (r.high_performing_ubts, r.ubts) {
                (Some(h), Some(u)) if u > 0 => percent(h, u).to_string(),
                _ => String::new(),
            },
            "as_of_display": r.as_of.map(month).unwrap_or_default(),
        }))
    }

    /// The URL prefix of a language (`/es/`; `/` for the default).
    fn prefix(&self, lang: &str) -> String {
        self.cfg
            .lang(lang)
            .map_or_else(|| "/".to_string(), |l| l.prefix.clone())
    }

    /// The file (as shown) of the region `slug` when its front matter has errors.
    /// A region whose title gives `slug` but whose file name gives another (QA Q43): its file
    /// (as shown) and its slug.
    fn renamed_region(&self, slug: &str) -> Option<(String, String)> {
        self.graph
            .docs
            .iter()
            .find(|d| {
                d.collection == Collection::Regions
                    && d.translation.is_none()
                    && d.slug != slug
                    && crate::util::slugify(&d.common.title) == slug
            })
            .map(|d| (crate::diagnostics::display_path(&d.path), d.slug.clone()))
    }

    fn broken_region(&self, slug: &str) -> Option<String> {
        self.graph
            .broken
            .values()
            .find(|s| s.collection == Collection::Regions && s.slug == slug)
            .map(|s| crate::diagnostics::display_path(&s.path))
    }

    fn region_doc(&self, slug: &str) -> Option<(usize, &Region)> {
        let i = self.graph.index_of_slug(Collection::Regions, slug)?;
        match &self.graph.docs.get(i)?.fields {
            Fields::Region(r) => Some((i, r)),
            _ => None,
        }
    }
}
