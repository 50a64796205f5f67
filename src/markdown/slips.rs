//! Authoring slips that markdown publishes as text without a word (QA Q92, Q83): a link that is
//! not one (`[a] (x.md)`, `(a)[x.md]`, `[a](my story.md)`, `[[wiki]]`, `[a][missing-ref]`),
//! another generator's syntax (Hugo and Zola shortcodes, Docusaurus `:::`), and a heading whose
//! `##` is followed by a non-breaking space (a Word or Google Docs paste).
//!
//! The writer hands over the source ranges of the text it wrote as text (never code), so what
//! is found here is exactly what a reader would see as written. Each slip is one warning at the
//! place it starts, with the fix spelled out.

/// A slip found at byte `at` of the body: the message and help of its warning.
pub(crate) struct Slip {
    pub at: usize,
    pub message: String,
    pub help: String,
}

/// Whether `s` looks like an address a link would have (so `[sic] (see above)` is prose).
fn addressy(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty()
        && !s.contains(' ')
        && (s.contains(".md")
            || s.starts_with('/')
            || s.starts_with("./")
            || s.starts_with("../")
            || s.starts_with('#')
            || s.starts_with("http://")
            || s.starts_with("https://")
            || s.starts_with("mailto:"))
}

/// The text between `](` and the `)` that closes it (`rest` starts after `](`), `(…)` inside
/// it balanced; `None` when nothing closes it.
fn link_target(rest: &str) -> Option<&str> {
    let mut depth = 0usize;
    for (k, c) in rest.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return Some(&rest[..k]),
            ')' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Whether `after` (what follows a link's address and a space) is a link title markdown reads:
/// `"…"`, `'…'` or `(…)`, with nothing after it.
fn is_title(after: &str) -> bool {
    let a = after.trim();
    let close = match a.chars().next() {
        Some('"') => '"',
        Some('\'') => '\'',
        Some('(') => ')',
        _ => return false,
    };
    a.len() >= 2
        && a.ends_with(close)
        && !a[1..a.len() - 1].contains(close)
        && (close != ')' || !a[1..a.len() - 1].contains('('))
}

/// How to write an address with a space (`target`: `first`, a space, `after`) so that it is a
/// link: a phone number without spaces or brackets, an e-mail address alone, a web address
/// with `%20`, a file renamed.
fn spaced_address_help(label: &str, target: &str, first: &str, after: &str) -> String {
    let lower = target.to_ascii_lowercase();
    // `[a](x.md “How to”)`: a title in Word's curly quotes is not a title to markdown.
    let after_t = after.trim();
    if let Some(inner) = after_t
        .strip_prefix(['“', '”', '„', '‘', '’', '«'])
        .and_then(|a| a.strip_suffix(['“', '”', '‘', '’', '»']))
    {
        return format!(
            "the link's title is in curly quotes (“…”, from Word), which markdown does not read: write straight quotes, `[{label}]({first} \"{inner}\")`, or leave the title out"
        );
    }
    if let Some(number) = lower.strip_prefix("tel:") {
        // `tel:+1 (555) 123-4567`, `tel:1-800-464-4000 ext 2`: groups of digits joined by `-`,
        // an extension as `;ext=` (RFC 3966).
        let (main, ext) = match number.find(|c: char| c.is_ascii_alphabetic()) {
            Some(k) => (&number[..k], Some(&number[k..])),
            None => (number, None),
        };
        let groups: Vec<&str> = main
            .split(|c: char| !c.is_ascii_digit() && c != '+')
            .filter(|g| !g.is_empty())
            .collect();
        let ext: String = ext
            .map(|e| e.chars().filter(char::is_ascii_digit).collect())
            .unwrap_or_default();
        if !groups.is_empty() {
            let mut fixed = format!("tel:{}", groups.join("-"));
            if !ext.is_empty() {
                fixed.push_str(";ext=");
                fixed.push_str(&ext);
            }
            return format!(
                "write the number without spaces or brackets, its groups of digits joined by `-`: `{fixed}` (the link's text can show it as you like)"
            );
        }
    }
    // `mailto:Pat Example <pat@example.org>` (an address book's line), or the same without
    // `mailto:`.
    if lower.starts_with("mailto:") || (target.contains('<') && target.contains('@')) {
        let inner = target
            .split_once('<')
            .and_then(|(_, r)| r.split_once('>'))
            .map(|(a, _)| a.trim())
            .filter(|a| a.contains('@') && !a.contains(char::is_whitespace));
        return match inner {
            Some(a) if lower.starts_with("mailto:") => {
                format!("write the e-mail address alone after `mailto:`: `mailto:{a}`")
            }
            Some(a) => format!(
                "an e-mail link is `mailto:` and the e-mail address alone: `mailto:{a}`"
            ),
            None => "write the e-mail address alone after `mailto:`, with no spaces (`mailto:lmp-feedback@kp.org`)".to_string(),
        };
    }
    if lower.starts_with("http://") || lower.starts_with("https://") {
        let fixed = target.split_whitespace().collect::<Vec<_>>().join("%20");
        return format!(
            "write each space in a web address as `%20`: `{fixed}` (copy the address from the browser's address bar: it is written so there)"
        );
    }
    let fixed = format!("{}-{}", first, after.trim().replace(' ', "-"));
    format!(
        "rename the file without spaces (e.g. `{fixed}`) and link to that, or put the address in angle brackets: `](<{target}>)`"
    )
}

/// The rest of the paragraph of `body` from byte `at` (to its first empty line), at most 1,000
/// bytes of it.
fn paragraph_from(body: &str, at: usize) -> &str {
    let Some(rest) = body.get(at..) else {
        return "";
    };
    let mut end = rest.len().min(1000);
    while !rest.is_char_boundary(end) {
        end -= 1;
    }
    let rest = &rest[..end];
    crate::diagnostics::work(rest.len());
    let mut cut = rest.len();
    let mut line_start = 0;
    for (k, line) in rest.split_inclusive('\n').enumerate() {
        if k > 0 && line.trim().is_empty() {
            cut = line_start;
            break;
        }
        line_start += line.len();
    }
    &rest[..cut]
}

/// The characters that look like a space after `##` but do not make a heading.
fn odd_space(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{a0}' => "a non-breaking space",
        '\u{2007}' | '\u{202f}' => "a narrow non-breaking space",
        '\u{2000}'..='\u{200a}' => "a typographic space",
        '\u{3000}' => "a full-width space",
        '\u{200b}' => "an invisible zero-width space",
        '\t' => return None,
        _ => return None,
    })
}

/// What a Hugo or Zola shortcode is written as in lmp.
fn lmp_for(name: &str) -> &'static str {
    match name.to_ascii_lowercase().as_str() {
        "youtube" | "vimeo" | "video" => "a ```` ```{video} ```` block",
        "figure" | "img" | "image" => "a ```` ```{figure} ```` block",
        "details" | "expand" | "collapse" => "a ```` ```{details} ```` block",
        "quote" | "blockquote" | "pullquote" => "a ```` ```{quote} ```` block",
        "notice" | "note" | "tip" | "warning" | "alert" | "callout" | "admonition" | "hint"
        | "info" => "an alert: `> [!NOTE]` (or TIP, IMPORTANT, WARNING, CAUTION) on its own line",
        _ => "a component block (```` ```{name} ````) or plain markdown",
    }
}

/// Where the line of byte `at` of `body` starts, when every character between that start and
/// `at` is `allowed`; `None` at the first one that is not. Walked back from `at`, so it costs
/// the run of allowed characters before `at`, not the line (QA Q135: thousands of code spans on
/// one long line read the line so far once each).
fn line_so_far(body: &str, at: usize, allowed: impl Fn(char) -> bool) -> Option<usize> {
    let before = body.get(..at)?;
    let mut start = at;
    let found = 'walk: {
        for c in before.chars().rev() {
            if c == '\n' {
                break 'walk Some(start);
            }
            if !allowed(c) {
                break 'walk None;
            }
            start -= c.len_utf8();
        }
        Some(0)
    };
    crate::diagnostics::work(at - start + 1);
    found
}

/// The bytes a slip of [`find`]'s loop starts with: `](`, `] (`, `)[`, `[[`, `][`, `{{`, `:::`
/// (found by [`Starts`]; the table is what its test checks it against).
#[cfg_attr(not(test), allow(dead_code))]
const SLIP_START: [bool; 256] = {
    let mut t = [false; 256];
    t[b']' as usize] = true;
    t[b')' as usize] = true;
    t[b'[' as usize] = true;
    t[b'{' as usize] = true;
    t[b':' as usize] = true;
    t
};

/// The next byte of [`SLIP_START`] from a place in a text, found with two `memchr` searches (a
/// vector search: most of a text has none of them, and looking at each byte was 1 % of a
/// build's instructions at 10,000 documents), each kept until the place passes it.
struct Starts<'t> {
    text: &'t [u8],
    /// The next `]`, `)` or `[`, and the next `{` or `:`, at or after the last place asked for
    /// (`usize::MAX`: none); `None` before the first search.
    brackets: Option<usize>,
    braces: Option<usize>,
}

impl<'t> Starts<'t> {
    fn new(text: &'t [u8]) -> Starts<'t> {
        Starts {
            text,
            brackets: None,
            braces: None,
        }
    }

    /// The first index at or after `i` whose byte is in [`SLIP_START`].
    fn from(&mut self, i: usize) -> Option<usize> {
        let rest = self.text.get(i..)?;
        let next = |found: Option<usize>| found.map_or(usize::MAX, |k| i + k);
        if self.brackets.is_none_or(|p| p < i) {
            self.brackets = Some(next(memchr::memchr3(b']', b')', b'[', rest)));
        }
        if self.braces.is_none_or(|p| p < i) {
            self.braces = Some(next(memchr::memchr2(b'{', b':', rest)));
        }
        let first = self.brackets.min(self.braces)?;
        (first != usize::MAX).then_some(first)
    }
}

/// Find the slips in `text`, a run of body text that starts at byte `base` of `body`.
pub(crate) fn find(body: &str, base: usize, text: &str, out: &mut Vec<Slip>) {
    let b = text.as_bytes();
    let at_line_start = |i: usize| line_so_far(body, base + i, char::is_whitespace).is_some();
    // `##\u{a0}Heading`: only at the start of a line.
    if at_line_start(0) {
        let hashes = text.bytes().take_while(|&c| c == b'#').count();
        if (1..=6).contains(&hashes)
            && let Some(what) = text[hashes..].chars().next().and_then(odd_space)
        {
            out.push(Slip {
                at: base,
                message: format!(
                    "`{}` is followed by {what}, so this line is not a heading",
                    &text[..hashes]
                ),
                help: format!(
                    "type an ordinary space after `{}` (Word and Google Docs put a non-breaking one there)",
                    &text[..hashes]
                ),
            });
        }
    }
    // QA Q116: `> [!DANGER]`, `> [!NOTE] A title`: not an alert, shown as text.
    let in_quote = line_so_far(body, base, |c| c == '>' || c.is_whitespace())
        .is_some_and(|start| body[start..base].contains('>'));
    if in_quote
        && let Some(inner) = text.strip_prefix("[!")
        && let Some(end) = inner.find(']')
        && end > 0
        && inner[..end].bytes().all(|c| c.is_ascii_alphabetic())
    {
        let word = &inner[..end];
        let kinds = ["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"];
        let upper = word.to_ascii_uppercase();
        let after = inner[end + 1..].lines().next().unwrap_or("").trim();
        if !kinds.contains(&upper.as_str()) {
            let meant = match upper.as_str() {
                "INFO" | "ABSTRACT" | "SUMMARY" | "EXAMPLE" | "QUOTE" | "TODO" => Some("NOTE"),
                "HINT" | "SUCCESS" | "CHECK" | "DONE" => Some("TIP"),
                "ATTENTION" | "QUESTION" | "HELP" | "FAQ" => Some("IMPORTANT"),
                "DANGER" | "ERROR" | "FAILURE" | "BUG" => Some("CAUTION"),
                _ => crate::diagnostics::suggest(&upper, kinds),
            };
            out.push(Slip {
                at: base,
                message: format!("`[!{word}]` is not an alert, so it is shown as text"),
                help: match meant {
                    Some(m) => format!("did you mean `[!{m}]`? The alerts are `[!NOTE]`, `[!TIP]`, `[!IMPORTANT]`, `[!WARNING]` and `[!CAUTION]`"),
                    None => "the alerts are `[!NOTE]`, `[!TIP]`, `[!IMPORTANT]`, `[!WARNING]` and `[!CAUTION]`".into(),
                },
            });
        } else if !after.is_empty() {
            out.push(Slip {
                at: base,
                message: format!("`{after}` on the line of `[!{word}]` makes the alert text"),
                help: format!("put `[!{word}]` alone on the first line of the quote, and `**{after}**` on the next"),
            });
        }
    }
    let mut i = 0;
    let mut starts = Starts::new(b);
    while i < b.len() {
        // Every slip below starts at one of these bytes: the text between them is skipped in
        // one pass (it was looked at character by character: 7 % of a build's instructions).
        match starts.from(i) {
            Some(k) => i = k,
            None => break,
        }
        let Some(rest) = text.get(i..) else {
            i += 1;
            continue;
        };
        if i > 0 && b[i - 1] == b'\\' {
            i += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        }
        // `[text](my story.md)`: a space in the address.
        // Hostile author s21: `(tel:+1 (555) 123-4567)` was taken for an address and a title
        // (`(555`), and said nothing; the address runs to the `)` that balances the `(`.
        // Hostile author s22: the run of text can end inside the address (an autolink such as
        // `<pat@example.org>` in `(mailto:Pat <pat@example.org>)`, a line break where an
        // e-mail wrapped a long address): the address is then read on in the body, to the
        // end of its paragraph.
        if rest.starts_with("](")
            && let Some(open) = text[..i].rfind('[')
        {
            let in_run = link_target(&rest[2..]);
            let target = in_run.or_else(|| {
                link_target(paragraph_from(body, base + i + 2))
                    .filter(|t| t.len() <= 300 && !t.contains("]("))
            });
            match target {
                Some(target) if target.contains('\n') && !target.trim().contains("\n\n") => {
                    let joined: String = target.lines().map(str::trim).collect();
                    if !joined.contains(char::is_whitespace) {
                        out.push(Slip {
                            at: base + open,
                            message: "this link is shown as text: its address is broken over two lines".into(),
                            help: format!(
                                "write the address on one line (an e-mail or a copy from a PDF breaks long addresses): `{joined}`"
                            ),
                        });
                        i += 2 + target.len().min(rest.len() - 2);
                        continue;
                    }
                }
                _ => {}
            }
            if let Some(target) = target
                && let Some((first, after)) = target.split_once(char::is_whitespace)
                && !is_title(after)
            {
                let label = &text[open + 1..i];
                out.push(Slip {
                    at: base + open,
                    message: format!(
                        "this link is shown as text: its address `{}` has a space",
                        crate::diagnostics::shorten(&target.replace('\n', " "), 80)
                    ),
                    help: spaced_address_help(label, target, first, after),
                });
                i += 2 + target.len().min(rest.len() - 2);
                continue;
            }
            if target.is_none()
                && let Some(first) = rest[2..].split_whitespace().next()
                && addressy(first)
                && first.contains('(')
            {
                // `[Union](https://en.wikipedia.org/wiki/Union_(labor)`: its `(` never closed.
                out.push(Slip {
                    at: base + open,
                    message: "this link is shown as text: a `(` in it is never closed with `)`".into(),
                    help: format!(
                        "end the address with `)`: the address's own brackets need theirs as well (`[{}]({first})`)",
                        &text[open + 1..i]
                    ),
                });
                i += 2;
                continue;
            }
        }
        // `[text] (x.md)` and `![alt] (x.jpg)`: a space before the `(`.
        if rest.starts_with("] (")
            && let Some(close) = rest[3..].find(')')
            && addressy(&rest[3..3 + close])
            && let Some(open) = text[..i].rfind('[')
        {
            let image = open > 0 && b[open - 1] == b'!';
            let start = if image { open - 1 } else { open };
            let label = &text[open + 1..i];
            let target = &rest[3..3 + close];
            let bang = if image { "!" } else { "" };
            out.push(Slip {
                at: base + start,
                message: format!(
                    "this {} is shown as text: there is a space between `]` and `(`",
                    if image { "image" } else { "link" }
                ),
                help: format!("remove the space: `{bang}[{label}]({target})`"),
            });
            i += 3 + close;
            continue;
        }
        // `(text)[x.md]`: the brackets the wrong way round.
        if rest.starts_with(")[")
            && let Some(close) = rest[2..].find(']')
            && addressy(&rest[2..2 + close])
            && let Some(open) = text[..i].rfind('(')
        {
            let label = &text[open + 1..i];
            let target = &rest[2..2 + close];
            out.push(Slip {
                at: base + open,
                message: "this link is shown as text: its brackets are the wrong way round".into(),
                help: format!(
                    "the text goes in `[ ]` and the address in `( )`: `[{label}]({target})`"
                ),
            });
            i += 2 + close;
            continue;
        }
        // `[[run-a-ubt-huddle]]`: a wiki link (Obsidian, Notion, Roam).
        if rest.starts_with("[[")
            && let Some(close) = rest[2..].find("]]")
            && !rest[2..2 + close].contains(['[', ']'])
        {
            let name = rest[2..2 + close].split('|').next().unwrap_or("").trim();
            out.push(Slip {
                at: base + i,
                message: format!("`[[{name}]]` is a wiki link (Obsidian, Notion), shown as text"),
                help: format!(
                    "lmp links are `[text](file.md)` with the path relative to this file, e.g. `[{name}](../guides/{}.md)`",
                    crate::slug::slugify(name)
                ),
            });
            i += 4 + close;
            continue;
        }
        // `[text][missing-ref]`: a reference link without its definition.
        if rest.starts_with("][")
            && let Some(close) = rest[2..].find(']')
            && !rest[2..2 + close].contains(['[', '('])
            && let Some(open) = text[..i].rfind('[')
        {
            let label = &text[open + 1..i];
            let r = &rest[2..2 + close];
            let r = if r.is_empty() { label } else { r };
            out.push(Slip {
                at: base + open,
                message: format!(
                    "this link is shown as text: there is no link definition `[{r}]` in this file"
                ),
                help: format!(
                    "add a line `[{r}]: ../guides/some-guide.md` (its address) below the paragraph, or write the link whole: `[{label}](../guides/some-guide.md)`"
                ),
            });
            i += 2 + close;
            continue;
        }
        // Hugo `{{< name … >}}` / `{{% name %}}`, Zola `{{ name(…) }}`.
        if let Some(after) = rest.strip_prefix("{{") {
            let inner = after.trim_start();
            let (kind, inner) = if let Some(r) = inner.strip_prefix(['<', '%']) {
                ("a Hugo shortcode", r.trim_start())
            } else {
                ("a Zola shortcode", inner)
            };
            let name: String = inner
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            let zola_call = inner[name.len()..].starts_with('(');
            if !name.is_empty() && (kind.starts_with("a Hugo") || zola_call) {
                let end = rest.find("}}").map_or(rest.len(), |e| e + 2);
                out.push(Slip {
                    at: base + i,
                    message: format!(
                        "`{}` is {kind}: lmp does not run shortcodes, so it is shown as text",
                        crate::diagnostics::shorten(rest[..end].trim(), 60)
                    ),
                    help: format!("in lmp write {} (see docs/authoring.md)", lmp_for(&name)),
                });
                i += end;
                continue;
            }
        }
        // Docusaurus/VitePress `:::note`, at the start of a line.
        if rest.starts_with(":::") && at_line_start(i) {
            let name: String = rest[3..]
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric())
                .collect();
            if !name.is_empty() {
                out.push(Slip {
                    at: base + i,
                    message: format!("`:::{name}` is a Docusaurus admonition, shown as text"),
                    help: format!("in lmp write {}", lmp_for(&name)),
                });
            }
            i += 3;
            continue;
        }
        // `{download}` on a line of its own: lmp's component name written as a shortcode, with
        // no fence around it (and often a `{/download}` to close it), shown as text.
        if let Some(inner) = rest.strip_prefix('{')
            && let Some(end) = inner.find('}')
            && end > 0
            && inner[..end]
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
            && inner[end + 1..]
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .is_empty()
            && at_line_start(i)
        {
            let name = &inner[..end];
            out.push(Slip {
                at: base + i,
                message: format!(
                    "`{{{name}}}` on a line of its own is shown as text: a component is a fenced block"
                ),
                help: format!(
                    "write ```` ```{{{name}}} ```` on the first line, its `name: value` lines, then ```` ``` ```` on a line of its own to close it (not `{{/{name}}}`; see docs/authoring.md)"
                ),
            });
            i += 2 + end;
            continue;
        }
        i += rest.chars().next().map_or(1, char::len_utf8);
    }
}

/// An address with curly quotes around it or an invisible character in it (QA Q83): the
/// address meant, and what was wrong.
pub(crate) fn clean_address(dest: &str) -> Option<(String, String)> {
    const QUOTES: [char; 8] = ['“', '”', '„', '‟', '‘', '’', '«', '»'];
    let invisible = |c: char| {
        matches!(
            c,
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}'
        )
    };
    let quoted = dest.starts_with(QUOTES) && dest.ends_with(QUOTES) && dest.chars().count() > 2;
    let hidden = dest.chars().any(invisible);
    if !quoted && !hidden {
        return None;
    }
    let mut c: String = dest.chars().filter(|&c| !invisible(c)).collect();
    if quoted {
        c = c.trim_matches(QUOTES).to_string();
    }
    let what = match (quoted, hidden) {
        (true, false) => {
            "the address is wrapped in curly quotes “…” (from a Word paste): lmp linked it without them"
        }
        (false, true) => {
            "the address has an invisible character in it (a zero-width space or soft hyphen, from a paste): lmp linked it without"
        }
        _ => {
            "the address is wrapped in curly quotes and has an invisible character in it (from a paste): lmp linked it without them"
        }
    };
    Some((c, what.to_string()))
}

/// A `mailto:` or `tel:` address a reader's mail or phone app cannot use (QA Q70), or a link
/// through Google's redirect (a Google Docs paste, QA Q101): the message and help of a warning.
pub(crate) fn contact_problem(dest: &str) -> Option<(String, String)> {
    for prefix in [
        "https://www.google.com/url?",
        "http://www.google.com/url?",
        "https://google.com/url?",
    ] {
        if let Some(query) = dest.strip_prefix(prefix)
            && let Some(q) = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("q=").or_else(|| kv.strip_prefix("url=")))
        {
            let target = crate::escape::percent_decode(q);
            return Some((
                "this link goes through Google's redirect (it was pasted from Google Docs)".into(),
                format!(
                    "link the address itself: `{target}` (a page of this site as a relative `.md` link)"
                ),
            ));
        }
    }
    // Outlook's Safe Links (`https://nam02.safelinks.protection.outlook.com/?url=…`), from a
    // link copied out of an e-mail: it goes through Microsoft, and stops working when the
    // link expires (hostile author s22).
    if let Some((host, query)) = dest
        .strip_prefix("https://")
        .and_then(|r| r.split_once('?'))
        && host
            .trim_end_matches('/')
            .to_ascii_lowercase()
            .ends_with(".safelinks.protection.outlook.com")
        && let Some(q) = query.split('&').find_map(|kv| kv.strip_prefix("url="))
    {
        let target = crate::escape::percent_decode(q);
        return Some((
            "this link goes through Outlook's Safe Links (it was copied from an e-mail): it stops working when the e-mail's link expires".into(),
            format!(
                "link the address itself: `{target}` (a page of this site as a relative `.md` link)"
            ),
        ));
    }
    let lower = dest.get(..7).unwrap_or(dest).to_ascii_lowercase();
    if lower.starts_with("mailto:") {
        let rest = &dest[7..];
        let addr = rest.split('?').next().unwrap_or("");
        let addr = crate::escape::percent_decode(addr);
        let ok = addr.split(',').all(|a| {
            let a = a.trim();
            let mut parts = a.split('@');
            matches!(
                (parts.next(), parts.next(), parts.next()),
                (Some(local), Some(domain), None)
                    if !local.is_empty()
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                        && !a.contains(char::is_whitespace)
            )
        });
        if addr.trim().is_empty() {
            return Some((
                "this `mailto:` link has no address".into(),
                "write the address after `mailto:`, e.g. `[write to us](mailto:lmp-feedback@kp.org)`".into(),
            ));
        }
        if !ok {
            return Some((
                format!("`{addr}` is not an e-mail address a mail app can use"),
                "write it as name@example.org, e.g. `mailto:lmp-feedback@kp.org`".into(),
            ));
        }
    } else if lower.starts_with("tel:") {
        let number = crate::escape::percent_decode(&dest[4..]);
        let digits = number.chars().filter(char::is_ascii_digit).count();
        if digits < 3
            || !number
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | ' ' | '(' | ')'))
        {
            return Some((
                format!("`{number}` is not a phone number a phone can dial"),
                "write the number with digits, e.g. `tel:+1-510-271-5910` (a leading + and the country code work everywhere)".into(),
            ));
        }
    }
    None
}

/// The bullets Word, PowerPoint and Outlook paste at the start of a list item's line.
const PASTED_BULLETS: [char; 7] = ['•', '◦', '▪', '●', '‣', '∙', '·'];

/// A bullet pasted from Word (`• Item`, `•\tItem`) at the start of a paragraph's line: its
/// byte offset in the body, and whether [`word_bullets`] made it a list item.
pub(crate) struct PastedBullet {
    pub at: usize,
    pub char: char,
    pub converted: bool,
}

/// Lines of paragraphs that start with a bullet pasted from Word (markdown shows them as one
/// paragraph of text with `•` in it): the body with each such bullet written as a markdown
/// list marker (`-` and spaces, the same number of bytes, so every offset and line stays where
/// it was), and the first bullet of each run of lines, for one warning per list. `None` when
/// there is none (the common case: then the body is parsed once).
pub(crate) fn word_bullets(body: &str) -> Option<(String, Vec<PastedBullet>)> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    // Every bullet starts with byte 0xE2 (U+2000..U+2FFF) or 0xC2 (`·`): most bodies are
    // passed over by memchr.
    let bytes = body.as_bytes();
    let pasted = memchr::memchr2_iter(0xE2, 0xC2, bytes).any(|i| {
        PASTED_BULLETS.iter().any(|c| {
            let mut buf = [0; 4];
            bytes[i..].starts_with(c.encode_utf8(&mut buf).as_bytes())
        })
    });
    if !pasted {
        return None;
    }
    let mut fixed = body.as_bytes().to_vec();
    let mut found: Vec<PastedBullet> = Vec::new();
    let mut last_line = usize::MAX;
    // Lines counted up to `counted` (events come in order: no body is counted twice).
    let (mut counted, mut lines) = (0usize, 0usize);
    let mut in_paragraph = 0usize;
    for (event, range) in Parser::new_ext(body, super::writer::options()).into_offset_iter() {
        match event {
            // Text of a paragraph, or of a tight list's item (it has no paragraph).
            Event::Start(Tag::Paragraph | Tag::Item) => in_paragraph += 1,
            Event::End(TagEnd::Paragraph | TagEnd::Item) => {
                in_paragraph = in_paragraph.saturating_sub(1)
            }
            Event::Text(t) if in_paragraph > 0 => {
                let Some(bullet) = t.chars().next().filter(|c| PASTED_BULLETS.contains(c)) else {
                    continue;
                };
                let at = range.start;
                let Some(line_start) = line_so_far(body, at, |c| matches!(c, ' ' | '\t' | '>'))
                else {
                    continue;
                };
                let after = &body[at + bullet.len_utf8()..];
                let gap = after.len() - after.trim_start_matches([' ', '\t']).len();
                if gap == 0
                    || after
                        .trim_start_matches([' ', '\t'])
                        .starts_with(['\n', '\r'])
                {
                    // `•Word` or a bullet alone: not an item.
                    continue;
                }
                // `-` then spaces for the bullet's other bytes, then the author's spaces or
                // tab: a list item whose text starts where it did. Five columns or more after
                // the `-` would make its text code: then only the warning.
                let col = |text: &str, from: usize| {
                    text.chars().fold(from, |c, ch| match ch {
                        '\t' => (c / 4 + 1) * 4,
                        _ => c + 1,
                    })
                };
                let marker_end = col(&body[line_start..at], 0) + 1;
                let text_col = col(&after[..gap], marker_end + bullet.len_utf8() - 1);
                let converted = text_col - marker_end <= 4;
                if converted {
                    fixed[at] = b'-';
                    for b in &mut fixed[at + 1..at + bullet.len_utf8()] {
                        *b = b' ';
                    }
                }
                if at < counted {
                    (counted, lines) = (0, 0);
                }
                lines += memchr::memchr_iter(b'\n', &bytes[counted..at]).count();
                counted = at;
                let line = lines;
                if last_line == usize::MAX || line != last_line + 1 {
                    found.push(PastedBullet {
                        at,
                        char: bullet,
                        converted,
                    });
                }
                last_line = line;
            }
            _ => {}
        }
    }
    if found.is_empty() {
        return None;
    }
    // Only ASCII bytes replaced the bullets' bytes: still UTF-8.
    String::from_utf8(fixed).ok().map(|f| (f, found))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Starts` finds what looking at each byte finds, from places that only go forward (as in
    /// `find`), by steps of any size.
    #[test]
    fn slip_starts_are_the_bytes_of_the_table() {
        let texts = crate::util::random_texts("ab ]([)é{:}\n", 0x5EED_0F51_1950_0001, 5_000);
        for (n, t) in texts.iter().enumerate() {
            let b = t.as_bytes();
            let mut starts = Starts::new(b);
            let mut i = 0;
            while i <= b.len() + 1 {
                let want = b
                    .get(i..)
                    .and_then(|r| r.iter().position(|&c| SLIP_START[usize::from(c)]))
                    .map(|k| i + k);
                assert_eq!(starts.from(i), want, "{t:?} from {i}");
                i += 1 + (n + i) % 4;
            }
        }
    }

    fn slips(text: &str) -> Vec<(usize, String, String)> {
        let mut out = Vec::new();
        find(text, 0, text, &mut out);
        out.into_iter().map(|s| (s.at, s.message, s.help)).collect()
    }

    #[test]
    fn a_component_name_without_its_fence_is_a_slip() {
        let text = "Intro.\n\n{download}\nfile: /files/a.pdf\n{/download}\n";
        let got = slips(text);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, text.find("{download}").unwrap());
        assert!(
            got[0].1.contains("`{download}` on a line of its own"),
            "{}",
            got[0].1
        );
        assert!(got[0].2.contains("```{download}"), "{}", got[0].2);
        // Braces in prose, or a word in braces followed by more words, are not components.
        for prose in [
            "Sets are written {a, b} in maths.",
            "A {placeholder} stays as typed.",
            "{name} is replaced by your name.",
            "Empty {} braces.",
        ] {
            assert!(slips(prose).is_empty(), "{prose}: {:?}", slips(prose));
        }
    }

    #[test]
    fn mailto_and_tel_addresses_are_checked() {
        for bad in [
            "mailto:",
            "mailto:someone@@kp.org",
            "mailto:kp.org",
            "tel:abc",
            "tel:",
        ] {
            assert!(contact_problem(bad).is_some(), "{bad}");
        }
        assert!(
            contact_problem("https://www.google.com/url?q=https://www.lmpartnership.org/guides/x/&sa=D&source=editors")
                .is_some_and(|(_, h)| h.starts_with("link the address itself: `https://www.lmpartnership.org/guides/x/`"))
        );
        for good in [
            "mailto:lmp-feedback@kp.org",
            "mailto:a@kp.org,b@kp.org?subject=Hi%20there",
            "MAILTO:A@KP.ORG",
            "tel:+1-510-271-5910",
            "tel:(510)%20271.5910",
            "https://kp.org/",
        ] {
            assert!(contact_problem(good).is_none(), "{good}");
        }
    }

    /// Hostile author s21: a phone number with spaces or brackets, an address book's e-mail
    /// line and a web address with a space were told to "rename the file without spaces"; a
    /// number with brackets (`(555)`, read as a title) was not told at all. Titles still pass.
    #[test]
    fn an_address_with_a_space_gets_the_fix_for_its_kind() {
        let one = |t: &str| {
            let s = slips(t);
            assert_eq!(s.len(), 1, "{t}: {s:?}");
            assert!(s[0].1.contains("has a space"), "{t}: {s:?}");
            s[0].2.clone()
        };
        assert!(one("Call [us](tel:+1 (555) 123-4567) now.").contains("`tel:+1-555-123-4567`"),);
        assert!(one("Call [us](tel:1 800 464 4000).").contains("`tel:1-800-464-4000`"));
        assert!(one("Call [us](tel:1-800-464-4000 ext 2).").contains("`tel:1-800-464-4000;ext=2`"));
        assert!(
            one("Write [us](mailto:Pat Example <pat@example.org>).")
                .contains("`mailto:pat@example.org`")
        );
        assert!(
            one("See [the plan](https://kp.org/our plan.pdf).")
                .contains("`https://kp.org/our%20plan.pdf`")
        );
        assert!(one("A [a](my story.md) b.").starts_with("rename the file without spaces"));
        for t in [
            "See [a](x.md \"The title\") now.",
            "See [a](x.md 'The title') now.",
            "See [a](x.md (The title)) now.",
            "See [a](https://en.wikipedia.org/wiki/Union_(labor)) now.",
        ] {
            assert!(slips(t).is_empty(), "{t}: {:?}", slips(t));
        }
    }

    #[test]
    fn prose_with_brackets_is_not_a_slip() {
        for t in [
            "He said [sic] (see above) and left.",
            "A list (a)[b] of things.",
            "Costs [in $] (approximately).",
            "Use {{ and }} in templates.",
            "a ratio 2:3 ::: not at a line start",
        ] {
            assert!(slips(t).is_empty(), "{t}: {:?}", slips(t));
        }
    }
}
