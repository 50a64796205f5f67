//! Web and email addresses typed in the text become links, as on GitHub (GFM's "extended
//! autolinks", which pulldown-cmark does not have): `Visit https://www.kp.org.`, `www.kp.org`
//! and `Write to lmp-feedback@kp.org.` are links, so an author who pastes an address gets what
//! every editor and GitHub show them. An email address links to `mailto:` (see
//! [`find_emails`] for its rules).
//!
//! [`expand`] rewrites the parser's events before the writer's pass: a run of text holding an
//! address becomes text, a link (an autolink: `Start(Link)`, its text, `End(Link)`, placed at
//! the address in the source) and text. The writer then treats it as any other link: its
//! address is escaped, recorded for the link check (a malformed one is an error offline,
//! `--external` asks the site), and the sanitiser sees a link.
//!
//! The rules are GitHub's (cmark-gfm's `autolink` extension):
//! - `http://`, `https://` (any case) or `www.`, not right after a letter, digit or a character
//!   of an address (`x.www.kp.org`, `a/https://…`): GitHub asks for the start of a line, a space
//!   or one of `*_~(`; quotes and brackets are allowed here too;
//! - then a site name (letters, digits, `-`, `_`, `.`; no `_` in its last two parts) and
//!   anything up to a space or `<`;
//! - trailing `?!.,:*_~'"` (and curly quotes) are not part of it, a `)` only when it closes a
//!   `(` of the address, a `;` never (with the `&name` before it when it looks like an entity).
//!
//! `www.kp.org` links to `https://www.kp.org` (GitHub writes `http://`: every site the
//! partnership links to is served over https, and `--external` reports one that is not).
//! Never inside a link, an image's text, code (spans, blocks, raw `<code>`, `<pre>`, `<kbd>`,
//! `<samp>`) or a raw `<a>`, `<button>`, `<script>`, `<style>`, `<textarea>`, `<title>`.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

/// Whether `text` may hold an address (a quick test before the events are looked at).
pub(crate) fn may_have_address(text: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), b"://").is_some()
        || memchr::memmem::find(text.as_bytes(), b"www.").is_some()
        || memchr::memmem::find(text.as_bytes(), b"WWW.").is_some()
        || memchr::memchr(b'@', text.as_bytes()).is_some()
}

/// Whether `text` (a line of plain text, e.g. a front matter field) holds a web or email
/// address that [`expand`] makes a link.
pub(crate) fn has_address(text: &str) -> bool {
    may_have_address(text) && !find(text, None).is_empty()
}

/// Raw HTML elements whose text is never linked.
const NO_LINKS_IN: [&str; 12] = [
    "a", "button", "code", "kbd", "pre", "samp", "script", "style", "textarea", "title", "select",
    "option",
];

/// How many of [`NO_LINKS_IN`]'s elements `html` opens, less how many it closes.
fn raw_balance(html: &str) -> i32 {
    let b = html.as_bytes();
    let mut n = 0;
    for at in memchr::memchr_iter(b'<', b) {
        let (close, from) = if b.get(at + 1) == Some(&b'/') {
            (true, at + 2)
        } else {
            (false, at + 1)
        };
        let len = b[from..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        if len == 0 {
            continue;
        }
        let name = &html[from..from + len];
        if !NO_LINKS_IN.iter().any(|t| t.eq_ignore_ascii_case(name)) {
            continue;
        }
        if close {
            n -= 1;
        } else {
            let end = html[from..].find('>').map(|e| from + e);
            let self_closed = end.is_some_and(|e| e > 0 && b[e - 1] == b'/');
            if !self_closed {
                n += 1;
            }
        }
    }
    n
}

/// Where text may hold a link.
#[derive(Default)]
struct Context {
    /// Markdown links and images the events are in.
    links: u32,
    code_block: bool,
    /// Raw elements of [`NO_LINKS_IN`] open in the current paragraph (or other text block).
    inline_raw: i32,
    /// The same, opened by raw HTML blocks.
    block_raw: i32,
}

impl Context {
    fn linkable(&self) -> bool {
        self.links == 0 && !self.code_block && self.inline_raw <= 0 && self.block_raw <= 0
    }

    fn see(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => self.links += 1,
            Event::End(TagEnd::Link | TagEnd::Image) => self.links = self.links.saturating_sub(1),
            Event::Start(Tag::CodeBlock(_)) => self.code_block = true,
            Event::End(TagEnd::CodeBlock) => self.code_block = false,
            Event::InlineHtml(h) => self.inline_raw = (self.inline_raw + raw_balance(h)).max(0),
            Event::Html(h) => self.block_raw = (self.block_raw + raw_balance(h)).max(0),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::TableCell
                | TagEnd::Item
                | TagEnd::DefinitionListTitle
                | TagEnd::DefinitionListDefinition,
            ) => self.inline_raw = 0,
            _ => {}
        }
    }
}

/// The parser's events with the web addresses typed in the text made links (see the module
/// docs). `body` is the text the events' ranges are in.
pub(super) fn expand<'a>(events: Events<'a>, body: &str) -> Events<'a> {
    if !may_have_address(body) {
        return events;
    }
    let mut out = Vec::with_capacity(events.len() + 8);
    let mut context = Context::default();
    let mut events = events.into_iter().peekable();
    while let Some((event, range)) = events.next() {
        if matches!(event, Event::Text(_)) && context.linkable() {
            // Text is split where the parser met a character that might have been markup
            // (`_`, `*`, an escape, a smart quote): the run is read as one.
            let mut run = vec![(event, range)];
            while let Some((Event::Text(_), _)) = events.peek() {
                run.extend(events.next());
            }
            link_run(run, body, &mut out);
            continue;
        }
        context.see(&event);
        out.push((event, range));
    }
    out
}

/// One piece of a run of text: where it starts in the run's joined text, its source range, and
/// whether its text is the source's bytes (so a position in it maps to the source exactly).
struct Piece {
    at: usize,
    range: Range<usize>,
    exact: bool,
}

fn link_run<'a>(run: Events<'a>, body: &str, out: &mut Events<'a>) {
    let mut text = String::new();
    let mut pieces = Vec::with_capacity(run.len());
    for (event, range) in &run {
        if let Event::Text(t) = event {
            pieces.push(Piece {
                at: text.len(),
                range: range.clone(),
                exact: body.get(range.clone()) == Some(&**t),
            });
            text.push_str(t);
        }
    }
    if !may_have_address(&text) {
        out.extend(run);
        return;
    }
    let before = pieces
        .first()
        .and_then(|p| body.get(..p.range.start))
        .and_then(|s| s.chars().next_back());
    let found = find(&text, before);
    if found.is_empty() {
        out.extend(run);
        return;
    }
    // Byte `pos` of the joined text → its byte in the source.
    let source = |pos: usize| -> usize {
        let i = pieces.partition_point(|p| p.at <= pos).saturating_sub(1);
        let p = &pieces[i];
        let next = pieces.get(i + 1).map_or(text.len(), |n| n.at);
        if pos >= next {
            p.range.end
        } else if p.exact {
            p.range.start + (pos - p.at)
        } else {
            p.range.start
        }
    };
    let source_end = |pos: usize| -> usize {
        if pos == 0 {
            return pieces[0].range.start;
        }
        let i = pieces.partition_point(|p| p.at < pos).saturating_sub(1);
        let p = &pieces[i];
        if p.exact {
            p.range.start + (pos - p.at)
        } else {
            p.range.end
        }
    };
    let mut written = 0;
    for (span, dest) in found {
        // An email address links to `mailto:` (its text is the address as typed).
        let link_type = if dest.starts_with("mailto:") {
            LinkType::Email
        } else {
            LinkType::Autolink
        };
        if span.start > written {
            out.push((
                Event::Text(CowStr::from(text[written..span.start].to_string())),
                source(written)..source_end(span.start),
            ));
        }
        let at = source(span.start)..source_end(span.end);
        // Smart punctuation inside an address (`--` shown as `–`, `'` as `’`) is not part of
        // it: the link goes where it was typed, and shows it as typed.
        let typed = (link_type == LinkType::Autolink && smart_inside(&pieces, &text, &span))
            .then(|| body.get(at.clone()))
            .flatten();
        let (dest, shown) = match typed {
            // Written without `https://` (`www.…`): the link adds it, as `find` does.
            Some(typed) if dest.len() > span.len() => {
                (format!("https://{typed}"), typed.to_string())
            }
            Some(typed) => (typed.to_string(), typed.to_string()),
            None => (dest, text[span.clone()].to_string()),
        };
        out.push((
            Event::Start(Tag::Link {
                link_type,
                dest_url: CowStr::from(dest),
                title: CowStr::Borrowed(""),
                id: CowStr::Borrowed(""),
            }),
            at.clone(),
        ));
        out.push((Event::Text(CowStr::from(shown)), at.clone()));
        out.push((Event::End(TagEnd::Link), at));
        written = span.end;
    }
    if written < text.len() {
        out.push((
            Event::Text(CowStr::from(text[written..].to_string())),
            source(written)..pieces.last().map_or(0, |p| p.range.end),
        ));
    }
}

/// Whether a piece of the run inside `span` is smart punctuation the parser put in place of what
/// was typed (`–` for `--`, `’` for `'`, `…` for `...`).
fn smart_inside(pieces: &[Piece], text: &str, span: &Range<usize>) -> bool {
    pieces.iter().enumerate().any(|(i, p)| {
        let end = pieces.get(i + 1).map_or(text.len(), |n| n.at);
        !p.exact
            && p.at < span.end
            && end > span.start
            && matches!(&text[p.at..end], "–" | "—" | "…" | "‘" | "’" | "“" | "”")
    })
}

/// A character of a site name.
fn domain_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_' || c == '.'
}

/// Whether an address may start after `c` (the character before it; `None`: the text's start).
fn may_start_after(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => {
            !(c.is_alphanumeric()
                || matches!(
                    c,
                    '.' | '-' | '/' | '@' | ':' | '\\' | '&' | '=' | '%' | '#' | '?' | '+'
                ))
        }
    }
}

/// The addresses in `text` (whose character before is `before`), web and email, in order:
/// their byte spans and the address each links to (`mailto:…` for an email address).
pub(super) fn find(text: &str, before: Option<char>) -> Vec<(Range<usize>, String)> {
    let mut found = find_web(text, before);
    if memchr::memchr(b'@', text.as_bytes()).is_none() {
        return found;
    }
    let emails: Vec<_> = find_emails(text, before)
        .into_iter()
        .filter(|(e, _)| {
            !found
                .iter()
                .any(|(w, _)| w.start < e.end && e.start < w.end)
        })
        .collect();
    if !emails.is_empty() {
        found.extend(emails);
        found.sort_by_key(|(span, _)| span.start);
    }
    found
}

/// The email addresses in `text` (whose character before is `before`), by GitHub's rules
/// (cmark-gfm's `autolink` extension): a name of ASCII letters, digits and `.+-_`, an `@`, then
/// ASCII letters, digits, `-`, `_` in parts separated by `.` (at least one `.`, which must be
/// followed by a letter or digit), ending with a letter; `mailto:` just before is part of the
/// link. Unlike GitHub, the name must not follow a letter, digit, `/` or `@` (`josé@kp.org`
/// is not linked as `jos` + `é@kp.org`'s tail, `a@b@kp.org` not at all).
fn find_emails(text: &str, before: Option<char>) -> Vec<(Range<usize>, String)> {
    let b = text.as_bytes();
    let name_byte = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'+' | b'-' | b'_');
    let mut found = Vec::new();
    let mut from = 0;
    for at in memchr::memchr_iter(b'@', b) {
        if at < from {
            continue;
        }
        let start = at - b[..at].iter().rev().take_while(|&&c| name_byte(c)).count();
        if start == at || start < from {
            continue;
        }
        let prev = if start == 0 {
            before
        } else {
            text[..start].chars().next_back()
        };
        if prev.is_some_and(|c| c.is_alphanumeric() || c == '/' || c == '@') {
            continue;
        }
        // The site name: `end` is past its last byte; a second `@` rejects the address.
        let (mut end, mut dots, mut ats) = (at, 0, 0);
        while end < b.len() {
            let c = b[end];
            if c == b'@' {
                ats += 1;
            } else if c == b'.' {
                if !b.get(end + 1).is_some_and(|n| n.is_ascii_alphanumeric()) {
                    break;
                }
                dots += 1;
            } else if !(c.is_ascii_alphanumeric() || c == b'-' || c == b'_') {
                break;
            }
            end += 1;
        }
        if ats != 1 || dots == 0 || !b[end - 1].is_ascii_alphabetic() {
            continue;
        }
        // `mailto:name@…`: the scheme is part of the link.
        let start = match text[..start].len().checked_sub(7) {
            Some(m)
                if text.is_char_boundary(m)
                    && text[m..start].eq_ignore_ascii_case("mailto:")
                    && may_start_after(text[..m].chars().next_back().or(before)) =>
            {
                m
            }
            _ => start,
        };
        let shown = &text[start..end];
        let dest = if shown.len() > 7 && shown[..7].eq_ignore_ascii_case("mailto:") {
            format!("mailto:{}", &shown[7..])
        } else {
            format!("mailto:{shown}")
        };
        found.push((start..end, dest));
        from = end;
    }
    found
}

/// The web addresses in `text` (see [`find`]).
fn find_web(text: &str, before: Option<char>) -> Vec<(Range<usize>, String)> {
    let b = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let Some(k) = b[i..]
            .iter()
            .position(|&c| matches!(c, b'h' | b'H' | b'w' | b'W'))
        else {
            break;
        };
        let start = i + k;
        i = start + 1;
        let rest = &b[start..];
        let prefix = if rest.len() >= 8 && rest[..8].eq_ignore_ascii_case(b"https://") {
            8
        } else if rest.len() >= 7 && rest[..7].eq_ignore_ascii_case(b"http://") {
            7
        } else if rest.len() >= 4 && rest[..4].eq_ignore_ascii_case(b"www.") {
            0
        } else {
            continue;
        };
        let prev = if start == 0 {
            before
        } else {
            text[..start].chars().next_back()
        };
        if !may_start_after(prev) {
            continue;
        }
        let domain_start = start + prefix;
        let domain_len = text[domain_start..]
            .find(|c: char| !domain_char(c))
            .unwrap_or(text.len() - domain_start);
        let domain = text[domain_start..domain_start + domain_len].trim_end_matches('.');
        // `www.` alone, `https://` with no site name: left as text.
        let name_len = if prefix == 0 {
            domain.len().saturating_sub(4)
        } else {
            domain.len()
        };
        if name_len == 0 {
            continue;
        }
        // GFM: no `_` in the last two parts of the site name.
        if domain.rsplit('.').take(2).any(|part| part.contains('_')) {
            continue;
        }
        let mut end = text[domain_start..]
            .find(|c: char| c.is_whitespace() || c == '<')
            .map_or(text.len(), |e| domain_start + e);
        end = trim_end(text, start, end);
        if end <= domain_start + if prefix == 0 { 4 } else { 0 } {
            continue;
        }
        let shown = &text[start..end];
        let dest = if prefix == 0 {
            format!("https://{shown}")
        } else {
            shown.to_string()
        };
        found.push((start..end, dest));
        i = end;
    }
    found
}

/// The end of the address `text[start..end]` without what follows it in the sentence.
fn trim_end(text: &str, start: usize, mut end: usize) -> usize {
    loop {
        let link = &text[start..end];
        let Some(last) = link.chars().next_back() else {
            return end;
        };
        match last {
            '?' | '!' | '.' | ',' | ':' | '*' | '_' | '~' | '\'' | '"' | '’' | '”' | '»' | '…' => {
                end -= last.len_utf8()
            }
            ')' => {
                let opens = link.bytes().filter(|&c| c == b'(').count();
                let closes = link.bytes().filter(|&c| c == b')').count();
                if closes > opens {
                    end -= 1;
                } else {
                    return end;
                }
            }
            ';' => {
                // `&hellip;` at the end: the entity is not part of the address either.
                let head = &link[..link.len() - 1];
                let name = head.trim_end_matches(|c: char| c.is_ascii_alphanumeric());
                if name.len() < head.len() && name.ends_with('&') {
                    end = start + name.len() - 1;
                } else {
                    end -= 1;
                }
            }
            _ => return end,
        }
    }
}
