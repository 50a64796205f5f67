//! The only module that names the YAML crate (`serde_yaml`, deprecated but stable: a maintained
//! fork such as `serde_yaml_ng` replaces it by changing the one `use` below and Cargo.toml).
//!
//! It parses YAML text into our own [`Yaml`] tree, with errors located by line and column in the
//! text given. Keys keep their order. Positions of top-level keys are found by [`key_positions`]
//! (the YAML crate does not expose value spans).

use serde_yaml as backend;

/// A parsed YAML value, independent of the YAML crate.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Yaml {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Yaml>),
    Map(Vec<(String, Yaml)>),
}

/// A YAML syntax error, located in the text that was parsed (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct YamlError {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl Yaml {
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Yaml::Null => "nothing",
            Yaml::Bool(_) => "a boolean",
            Yaml::Int(_) => "an integer",
            Yaml::Float(_) => "a number",
            Yaml::Str(_) => "a string",
            Yaml::List(_) => "a list",
            Yaml::Map(_) => "a mapping",
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Yaml::Str(s) => Some(s),
            _ => None,
        }
    }

    #[cfg(test)]
    pub(crate) fn get(&self, key: &str) -> Option<&Yaml> {
        match self {
            Yaml::Map(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Convert to JSON, for deserialising typed structs with serde.
    pub(crate) fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Yaml::Null => J::Null,
            Yaml::Bool(b) => J::Bool(*b),
            Yaml::Int(i) => J::from(*i),
            Yaml::Float(f) => serde_json::Number::from_f64(*f)
                .map(J::Number)
                .unwrap_or(J::Null),
            Yaml::Str(s) => J::String(s.clone()),
            Yaml::List(l) => J::Array(l.iter().map(Yaml::to_json).collect()),
            Yaml::Map(m) => J::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
        }
    }
}

/// Parse a YAML document. An empty document is `Null`.
pub(crate) fn parse(text: &str) -> Result<Yaml, YamlError> {
    // A byte order mark (Notepad's "UTF-8 with BOM") is not content (QA Q75); it is one column
    // on the first line, which a position there keeps.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Ok(Yaml::Null);
    }
    // QA Q16: the YAML crate's scanner takes time quadratic in the nesting of `[`/`{` (100,000
    // `[` took 90 s of CPU before its error); no front matter or config nests deeper than this.
    if let Some((line, col)) = too_deep(text, MAX_NESTING) {
        return Err(YamlError {
            line,
            col,
            message: format!("brackets are nested more than {MAX_NESTING} deep"),
        });
    }
    let value: backend::Value = backend::from_str(text).map_err(|e| {
        let (line, col) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        let mut message = e.to_string();
        // serde_yaml appends " at line X column Y"; we print the location ourselves.
        if let Some(i) = message.find(" at line ") {
            message.truncate(i);
        }
        YamlError { line, col, message }
    })?;
    let y = convert(value)?;
    if let Some(e) = merge_key(text, &y) {
        return Err(e);
    }
    Ok(y)
}

/// What [`merge_key`]'s error message starts with (see [`explain`]).
const MERGE: &str = "`<<` is a YAML merge key";

/// Hostile author s22: a merge key (`<<: *defaults`, from a YAML tutorial) was reported as
/// "unknown field `<<`", with the list of fields. lmp does not read merge keys: each file, and
/// each entry of config.yaml, says every field it sets, so that every field has a line an error
/// can point at and an editor reading one entry sees all of it. The error is at the first `<<`,
/// and names the fields it would have copied.
fn merge_key(text: &str, y: &Yaml) -> Option<YamlError> {
    fn merged(y: &Yaml) -> Option<&Yaml> {
        match y {
            Yaml::Map(m) => m
                .iter()
                .find(|(k, _)| k == "<<")
                .map(|(_, v)| v)
                .or_else(|| m.iter().find_map(|(_, v)| merged(v))),
            Yaml::List(l) => l.iter().find_map(merged),
            _ => None,
        }
    }
    let value = merged(y)?;
    let maps: Vec<&Yaml> = match value {
        Yaml::List(l) => l.iter().collect(),
        v => vec![v],
    };
    // The fields as they would be written out (`date: 2020-01-01`); a later map does not
    // override an earlier one's key (YAML's rule for `<<: [*a, *b]`).
    let mut keys: Vec<(&str, String)> = Vec::new();
    for m in maps {
        if let Yaml::Map(m) = m {
            for (k, v) in m {
                if !keys.iter().any(|(seen, _)| seen == k) {
                    keys.push((k, flow(v)));
                }
            }
        }
    }
    let (line, col, written) = text
        .lines()
        .enumerate()
        .find_map(|(i, l)| {
            let at = l.find("<<")?;
            let rest = l[at + 2..].trim_start().strip_prefix(':')?;
            let written = rest.trim().trim_end_matches([',', '}']).trim();
            Some((i + 1, l[..at].chars().count() + 1, written.to_string()))
        })
        .unwrap_or((0, 0, String::new()));
    let fields = keys
        .iter()
        .map(|(k, v)| format!("`{k}: {v}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let from = written
        .strip_prefix('*')
        .map_or(String::new(), |a| format!(" (those of `&{a}`)"));
    // The fields go after a NUL, for `explain`'s help.
    Some(YamlError {
        line,
        col,
        message: format!(
            "{MERGE} (`<<: {written}`): the YAML is valid, but lmp does not read merge keys, so the fields it would copy here{from} are not set\u{0}{fields}"
        ),
    })
}

impl YamlError {
    /// The text is valid YAML that lmp does not read (a merge key, `<<:`): callers say so
    /// instead of "invalid YAML" (hostile author s23).
    pub(crate) fn is_valid_yaml(&self) -> bool {
        self.message.starts_with(MERGE)
    }
}

/// `v` written on one line as YAML, for a help that gives fields to write out: plain text
/// where it reads back the same, else quoted; lists and maps in brackets (long ones cut).
fn flow(v: &Yaml) -> String {
    let s = match v {
        Yaml::Null => "null".to_string(),
        Yaml::Bool(b) => b.to_string(),
        Yaml::Int(i) => i.to_string(),
        Yaml::Float(f) => f.to_string(),
        Yaml::Str(s) => {
            let plain = s.chars().next().is_some_and(char::is_alphanumeric)
                && s.chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | '/'))
                && !s.ends_with(' ')
                && !matches!(
                    s.to_ascii_lowercase().as_str(),
                    "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
                );
            if plain { s.clone() } else { quote(s) }
        }
        Yaml::List(l) => format!("[{}]", l.iter().map(flow).collect::<Vec<_>>().join(", ")),
        Yaml::Map(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("{k}: {}", flow(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    shorten_chars(&s, 80)
}

/// How deep `[`/`{` may nest (see [`parse`]).
const MAX_NESTING: usize = 64;

/// The line and column (1-based) of the first bracket that opens a level deeper than `max`
/// (brackets in quotes and comments do not count).
fn too_deep(text: &str, max: usize) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    for (i, l) in text.lines().enumerate() {
        let mut quote: Option<char> = None;
        // The last character that is not a space: a quote opens a value only after one of
        // `:[{,-` or at the start (the `'` in `I've` is text).
        let mut prev = ' ';
        for (k, c) in l.chars().enumerate() {
            let starts_value = matches!(prev, ' ' | ':' | '[' | '{' | ',' | '-');
            if !c.is_whitespace() {
                prev = c;
            }
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') if starts_value => quote = Some(c),
                (None, '#') => break,
                (None, '[' | '{') => {
                    depth += 1;
                    if depth > max {
                        return Some((i + 1, k + 1));
                    }
                }
                (None, ']' | '}') => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    None
}

fn convert(v: backend::Value) -> Result<Yaml, YamlError> {
    Ok(match v {
        backend::Value::Null => Yaml::Null,
        backend::Value::Bool(b) => Yaml::Bool(b),
        backend::Value::Number(n) => match n.as_i64() {
            Some(i) => Yaml::Int(i),
            None => Yaml::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        backend::Value::String(s) => Yaml::Str(s),
        backend::Value::Sequence(s) => {
            Yaml::List(s.into_iter().map(convert).collect::<Result<_, _>>()?)
        }
        backend::Value::Mapping(m) => {
            let mut out = Vec::with_capacity(m.len());
            for (k, v) in m {
                let key = match k {
                    backend::Value::String(s) => s,
                    backend::Value::Number(n) => n.to_string(),
                    backend::Value::Bool(b) => b.to_string(),
                    other => {
                        return Err(YamlError {
                            line: 0,
                            col: 0,
                            message: format!("a key must be a plain word, found {other:?}"),
                        });
                    }
                };
                out.push((key, convert(v)?));
            }
            Yaml::Map(out)
        }
        backend::Value::Tagged(t) => convert(t.value)?,
    })
}

/// A YAML syntax error in plain words: the common mistakes (a tab in the indentation, a quote
/// or bracket left open, an unquoted `: ` inside a value) are recognised in the text itself, so
/// the message and help say what to change rather than what the parser expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Explained {
    /// 1-based, in the text that was parsed.
    pub line: usize,
    pub col: usize,
    pub message: String,
    pub help: String,
}

/// Explain `e`, an error from [`parse`] of `text`.
pub(crate) fn explain(text: &str, e: &YamlError) -> Explained {
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    if e.message.starts_with(MERGE) {
        let (message, fields) = e.message.split_once('\u{0}').unwrap_or((&e.message, ""));
        return Explained {
            line: e.line,
            col: e.col,
            message: message.to_string(),
            help: if fields.is_empty() {
                "write the fields out here in full and delete the `<<:` line: each entry says every field it sets".to_string()
            } else {
                format!(
                    "write the fields out here in full, each on its own line ({fields}), and delete the `<<:` line: each entry says every field it sets, so that an error can point at its line"
                )
            },
        };
    }
    // `*base` before `&base` is written (or with no `&base` at all).
    if e.message.contains("unknown anchor") {
        let name = lines
            .get(e.line.wrapping_sub(1))
            .and_then(|l| l.get(e.col.saturating_sub(1)..))
            .and_then(|r| r.strip_prefix('*'))
            .map(|r| {
                r.chars()
                    .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}'))
                    .collect::<String>()
            })
            .filter(|n| !n.is_empty());
        if let Some(name) = name {
            return Explained {
                line: e.line,
                col: e.col,
                message: format!(
                    "`*{name}` repeats the value marked `&{name}`, but no `&{name}` is written above it"
                ),
                help: format!(
                    "write the value itself here instead of `*{name}` (a value marked `&{name}` must come before, as YAML reads from the top)"
                ),
            };
        }
    }
    // Characters that look like a space or a colon but are not (pasted from Word or the web).
    if let Some(x) = invisible(&lines) {
        return x;
    }
    // Hostile tester s17: a "billion laughs" (aliases of aliases) stops the parser with
    // "repetition limit exceeded", which says nothing to an editor: at the first alias.
    if e.message.contains("repetition limit") || e.message.contains("recursion limit") {
        let first = lines.iter().enumerate().find_map(|(i, l)| {
            let (_, value) = split_key(l)?;
            let at = value.find('*')?;
            let name: String = value[at + 1..]
                .chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}'))
                .collect();
            let col = l.len() - value.len() + at;
            (!name.is_empty()).then(|| (i + 1, l[..col].chars().count() + 1, name))
        });
        let (line, col, name) = first.unwrap_or((e.line, e.col, "name".into()));
        return Explained {
            line,
            col,
            message: format!("its aliases (`*{name}`) repeat values too many times to be read"),
            help: format!(
                "write each value out in full: front matter needs no anchors (`&{name}`) and aliases (`*{name}`)"
            ),
        };
    }
    // QA Q16/Q39: a field written twice (`title:` pasted again further down).
    if let Some(key) = e
        .message
        .split_once("duplicate entry with key \"")
        .and_then(|(_, k)| k.split_once('"'))
        .map(|(k, _)| k)
    {
        // Hostile author s21: in a flow mapping (`{name: A, url: /a/, name: B}`) or a block
        // one inside a list (a menu item), the key is not at the start of a line: it was told
        // in the parser's words, with a help about indentation (or, for `{en: {…}, en: {…}}`,
        // a `: ` to quote). The parser says where the mapping starts: its second `key` is found
        // there.
        if let Some((line, col, flow)) = second_key(&lines, e.line, e.col, key) {
            return Explained {
                line,
                col,
                message: if flow {
                    format!(
                        "`{key}` is written twice in the same `{{…}}`: a field can be given only once"
                    )
                } else {
                    format!("`{key}` is written twice: a field can be given only once")
                },
                help: if flow {
                    format!(
                        "keep the `{key}:` you mean (the other one is before it, in the same braces) and delete the other, with its comma"
                    )
                } else {
                    format!(
                        "keep the `{key}:` you mean (the other one is higher up) and delete the other"
                    )
                },
            };
        }
        let at: Vec<(usize, usize)> = lines
            .iter()
            .enumerate()
            .filter_map(|(i, l)| {
                let t = l.trim_start();
                let rest = t.strip_prefix(key)?;
                let rest = rest.trim_start_matches([' ', '\t']).strip_prefix(':')?;
                (rest.is_empty() || rest.starts_with([' ', '\t']))
                    .then(|| (i + 1, l.len() - t.len() + 1))
            })
            .collect();
        if let [_, .., (line, col)] = at.as_slice() {
            return Explained {
                line: *line,
                col: *col,
                message: format!("`{key}` is written twice: a field can be given only once"),
                help: format!(
                    "keep the `{key}:` you mean (the other one is higher up) and delete the other"
                ),
            };
        }
    }
    // QA Q68: a number beyond what YAML numbers hold (`members: 99999999999999999999`) was
    // "invalid type: integer `…` as u128, expected any YAML value".
    if let Some(n) = e
        .message
        .split_once("invalid type: integer `")
        .and_then(|(_, r)| r.split_once('`'))
        .map(|(n, _)| n)
        && let Some((i, l)) = lines.iter().enumerate().find(|(_, l)| l.contains(n))
    {
        return Explained {
            line: i + 1,
            col: l[..l.find(n).unwrap_or(0)].chars().count() + 1,
            message: format!("`{n}` is too large a number"),
            help: "check the figure against its source; if the value is not a number, put it in quotes".into(),
        };
    }
    // QA Q104: a control character (PowerPoint's line break U+000B) pasted into a value.
    if e.message.contains("control characters are not allowed")
        && let Some((i, l, k, c)) = lines.iter().enumerate().find_map(|(i, l)| {
            l.char_indices()
                .find(|&(_, c)| c.is_control() && c != '\t')
                .map(|(k, c)| (i, l, k, c))
        })
    {
        return Explained {
            line: i + 1,
            col: l[..k].chars().count() + 1,
            message: format!(
                "an invisible control character (U+{:04X}{}) is in this line",
                c as u32,
                if c == '\u{b}' {
                    ", a line break from PowerPoint or Word"
                } else {
                    ""
                }
            ),
            help: "delete it and type a space; YAML values cannot hold control characters".into(),
        };
    }
    // A tab in the indentation: YAML indents with spaces only.
    for (i, l) in lines.iter().enumerate() {
        let indent = &l[..l.len() - l.trim_start().len()];
        if let Some(t) = indent.find('\t') {
            return Explained {
                line: i + 1,
                col: indent[..t].chars().count() + 1,
                message: "a tab is used to indent this line".into(),
                help: "YAML indents with spaces only: replace the tab with spaces (two per level, or none for a top-level field)".into(),
            };
        }
    }
    // `-item`: a list item without the space after its dash.
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        if let Some(rest) = t.strip_prefix('-')
            && rest
                .chars()
                .next()
                .is_some_and(|c| !c.is_whitespace() && c != '-')
        {
            let item = rest.split_whitespace().next().unwrap_or(rest);
            return Explained {
                line: i + 1,
                col: l[..l.len() - t.len()].chars().count() + 1,
                message: format!(
                    "`-{item}` is not a list item: a list item needs a space after the dash"
                ),
                help: format!("write `- {item}`, with a space after the dash"),
            };
        }
    }
    // QA Q84: `date:2024-01-02` (no space after the colon) and `date= 2024-01-02` are one word
    // to YAML, and the error was "could not find expected ':'" at the next line.
    for (i, l) in lines.iter().enumerate() {
        let key_len = l
            .char_indices()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .map_or(l.len(), |(k, _)| k);
        let (key, rest) = l.split_at(key_len);
        if key.is_empty() || !key.starts_with(|c: char| c.is_alphabetic()) {
            continue;
        }
        let spaced = rest.trim_start_matches(' ');
        if let Some(v) = rest.strip_prefix(':')
            && v.starts_with(|c: char| !c.is_whitespace())
            && !l.contains(": ")
        {
            return Explained {
                line: i + 1,
                col: key.chars().count() + 2,
                message: format!("`{key}:` needs a space after the colon"),
                help: format!("write `{key}: {v}`"),
            };
        }
        if let Some(v) = spaced.strip_prefix('=')
            && !l.contains(": ")
        {
            return Explained {
                line: i + 1,
                col: key.chars().count() + rest.len() - spaced.len() + 1,
                message: format!(
                    "`{key}` is followed by `=`: front matter uses `:` between a field and its value"
                ),
                help: format!("write `{key}: {}`", v.trim()),
            };
        }
    }
    // QA Q101: `topics: - bargaining`, a list item on the key's line.
    if e.message.contains("block sequence entries are not allowed") {
        for (i, l) in lines.iter().enumerate() {
            if let Some((key, value)) = split_key(l)
                && !TEXT_KEYS.contains(&key)
                && let Some(item) = value.trim_start().strip_prefix("- ")
            {
                let col = l.len() - value.trim_start().len();
                return Explained {
                    line: i + 1,
                    col: l[..col].chars().count() + 1,
                    message: format!("a list item on the line of `{key}:`"),
                    help: format!(
                        "a list on one line is written in brackets, `{key}: [{}]`; or put `- {}` on the next line, indented",
                        item.trim(),
                        item.trim()
                    ),
                };
            }
        }
    }
    // QA Q115: a value wrapped onto the next line by an editor (`summary: first line` then
    // `second line` at the start of a line): "could not find expected ':'" at the next field.
    if e.message.contains("could not find expected ':'") {
        for (i, l) in lines.iter().enumerate().skip(1) {
            let t = l.trim_end();
            if t.is_empty()
                || t.starts_with([' ', '\t', '-', '#', '[', '{', '"', '\''])
                || t.contains(": ")
                || t.ends_with(':')
            {
                continue;
            }
            let Some((key, value)) = lines[..i]
                .iter()
                .rev()
                .find(|p| !p.trim().is_empty())
                .and_then(|p| split_key(p))
            else {
                continue;
            };
            let v = value.trim();
            if v.is_empty() || v.starts_with(['|', '>', '"', '\'', '[', '{']) {
                continue;
            }
            return Explained {
                line: i + 1,
                col: 1,
                message: format!("`{}` is not a field (`name: value`)", shorten_chars(t, 40)),
                help: format!(
                    "to continue `{key}` on the next line, indent that line by two spaces; or join the two lines into one"
                ),
            };
        }
    }
    // QA Q84: `title: 'I've got your back'`: the quote in the text ends the quoted value.
    for (i, l) in lines.iter().enumerate() {
        let Some((key, value)) = split_key(l) else {
            continue;
        };
        let v = value.trim_start();
        let Some(q) = v.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
            continue;
        };
        let Some(end) = quote_end(&v[1..], q) else {
            continue;
        };
        let after = v[1 + end + 1..].trim_start();
        if after.is_empty() || after.starts_with('#') {
            continue;
        }
        let inner = &v[1..v.len() - usize::from(v.ends_with(q))];
        let word_start = v[..1 + end].rfind(' ').map_or(1, |s| s + 1);
        let word = v[word_start..].split(' ').next().unwrap_or("");
        let col = l.len() - v.len() + 1 + end;
        let (message, help) = if end == 0 {
            // QA s13: `title: ""Peer advice"`: the help wrote the value with one quote less
            // at each end.
            let rest = &v[2..v.len() - usize::from(v.len() > 2 && v.ends_with(q))];
            (
                format!("the value of `{key}` starts with two `{q}`"),
                format!("remove one of them: `{key}: {q}{rest}{q}`"),
            )
        } else if q == '\'' {
            (
                format!("the `'` in `{word}` ends the quoted value of `{key}`"),
                format!(
                    "write `''` for an apostrophe inside single quotes, or use double quotes: `{key}: {}`",
                    quote(inner)
                ),
            )
        } else {
            (
                format!(
                    "the `\"` before `{}` ends the quoted value of `{key}`",
                    after.split(' ').next().unwrap_or(after).trim_matches('"')
                ),
                format!(
                    "write `\\\"` for a quote inside double quotes, or use single quotes: `{key}: '{}'`",
                    inner.replace('\'', "''")
                ),
            )
        };
        return Explained {
            line: i + 1,
            col: l.get(..col).map_or(1, |s| s.chars().count() + 1),
            message,
            help,
        };
    }
    // QA Q87: a text value that starts with a character YAML keeps for itself (`title: @home`,
    // `> New`, `*New* plan`, `- Draft`, `[Draft] plan`…): the parser's words were "found
    // character that cannot start any token" and the like. The line is the cause when quoting
    // its value makes the whole front matter read.
    if let Some(x) = leading_indicator(&lines) {
        return x;
    }
    // A field indented under a field that already has a value.
    if let Some(l) = e.line.checked_sub(1).and_then(|i| lines.get(i))
        && l.starts_with(' ')
        && let Some((key, _)) = split_key(l)
        && let Some(prev) = lines[..e.line - 1]
            .iter()
            .rev()
            .find(|p| !p.trim().is_empty())
        && let Some((pkey, pval)) = split_key(prev)
        && !pval.trim().is_empty()
    {
        return Explained {
            line: e.line,
            col: l.len() - l.trim_start().len() + 1,
            message: format!("`{key}` is indented, so it is read as part of `{pkey}`"),
            help: format!("start `{key}:` at the beginning of the line, like the other fields"),
        };
    }
    // A quote or a bracket opened in a value and never closed.
    for (i, l) in lines.iter().enumerate() {
        let Some((key, value)) = split_key(l) else {
            continue;
        };
        let v = value.trim_start();
        let col = l.len() - v.len();
        let col = l[..col].chars().count() + 1;
        match v.chars().next() {
            Some(q @ ('"' | '\'')) if !closes_quote(&v[1..], q) => {
                return Explained {
                    line: i + 1,
                    col,
                    message: format!("the quote that starts the value of `{key}` is not closed"),
                    help: format!("end the value with {q} on the same line: `{key}: {q}…{q}`"),
                };
            }
            Some(open @ ('[' | '{')) => {
                let rest: Vec<&str> = std::iter::once(v)
                    .chain(lines[i + 1..].iter().copied())
                    .collect();
                if !closes_bracket(&rest) {
                    let close = if open == '[' { ']' } else { '}' };
                    return Explained {
                        line: i + 1,
                        col,
                        message: format!(
                            "the `{open}` that starts the value of `{key}` is not closed"
                        ),
                        help: format!(
                            "end it with `{close}`, e.g. `{key}: {open}first, second{close}`; to write text that starts with `{open}`, put it in quotes"
                        ),
                    };
                }
            }
            Some('"' | '\'' | '|' | '>' | '&' | '*' | '!') | None => {}
            Some(_) => {
                if v.contains(": ") || v.ends_with(':') {
                    return Explained {
                        line: i + 1,
                        col,
                        message: format!(
                            "the value of `{key}` contains `: `, which YAML reads as the start of another field"
                        ),
                        help: format!(
                            "put the value in quotes: `{key}: \"{}\"`",
                            v.replace('"', "\\\"")
                        ),
                    };
                }
            }
        }
    }
    // QA s14: `title Labor Management Partnership` in config.yaml (the `:` forgotten): the
    // parser said "mapping values are not allowed in this context" at the next line.
    let upto = e.line.min(lines.len());
    if let Some((i, l)) = lines[..upto].iter().enumerate().rev().find(|(_, l)| {
        let t = l.trim_end();
        !t.is_empty()
            && !t.contains(':')
            && t != "---"
            && t != "..."
            && !t.starts_with([
                ' ', '\t', '#', '-', '[', '{', ']', '}', '"', '\'', '&', '*', '!', '|', '>', '%',
                '?', '@', '`',
            ])
    }) {
        let t = l.trim_end();
        let (key, rest) = t
            .split_once(char::is_whitespace)
            .map_or((t, ""), |(k, r)| (k, r.trim_start()));
        let fixed = if rest.is_empty() {
            format!("{key}:")
        } else {
            format!("{key}: {rest}")
        };
        return Explained {
            line: i + 1,
            col: key.chars().count() + 1,
            message: format!("this line has no `:` after the name of its field (`{key}`)"),
            help: format!("write it `{fixed}`"),
        };
    }
    // `{slug: x, name: Bargaining: the art}`: an unquoted `: ` inside a value of a flow mapping.
    for (i, l) in lines.iter().enumerate() {
        let Some(open) = l.find('{') else { continue };
        let mut quote: Option<char> = None;
        let mut start = open + 1;
        let inner = &l[open + 1..];
        let mut entries = Vec::new();
        for (k, c) in inner.char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, ',' | '}') => {
                    entries.push((start, &l[start..open + 1 + k]));
                    start = open + 1 + k + 1;
                    if c == '}' {
                        break;
                    }
                }
                _ => {}
            }
        }
        for (at, entry) in entries {
            let Some((key, value)) = split_key(entry) else {
                continue;
            };
            let v = value.trim_start();
            // A value that is a mapping or list itself (`{en: {name: English}, …}`) is not
            // one text: its own `: ` are fine.
            if !v.starts_with(['"', '\'', '{', '[']) && (v.contains(": ") || v.ends_with(':')) {
                let col = at + entry.len() - v.len();
                return Explained {
                    line: i + 1,
                    col: l[..col].chars().count() + 1,
                    message: format!(
                        "the value of `{key}` contains `: `, which YAML reads as the start of another field"
                    ),
                    help: format!(
                        "put the value in quotes: `{key}: \"{}\"`",
                        v.replace('"', "\\\"")
                    ),
                };
            }
        }
    }
    Explained {
        line: e.line,
        col: e.col,
        message: e.message.clone(),
        help: "check the indentation (spaces, the same for every item of a list), and quote values that contain `: ` or start with `[`, `{`, `*`, `&`, `!` or a quote".into(),
    }
}

/// The name of a character that looks like a space or a colon, or cannot be seen, and that YAML
/// does not read as one (QA Q41).
fn lookalike(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{a0}' => "a non-breaking space (U+00A0), which looks like a space",
        '\u{2007}' | '\u{202f}' => {
            "a narrow or figure non-breaking space, which looks like a space"
        }
        '\u{2000}'..='\u{200a}' => "a typographic space, which looks like a space",
        '\u{3000}' => "an ideographic (full-width) space, which looks like a space",
        '\u{200b}' => "an invisible zero-width space (U+200B)",
        '\u{200c}' | '\u{200d}' => "an invisible zero-width joiner",
        '\u{2060}' => "an invisible word joiner (U+2060)",
        '\u{feff}' => "an invisible byte order mark (U+FEFF)",
        '\u{ff1a}' => "a full-width colon `：` (U+FF1A), which looks like `:`",
        '\u{fe55}' | '\u{fe13}' => "a small or vertical colon, which looks like `:`",
        _ => return None,
    })
}

/// A look-alike character where YAML needs a real space or colon: in a line's indentation, in
/// or right after a key, or as the colon after a key. (In a value it is text, and harmless.)
fn invisible(lines: &[&str]) -> Option<Explained> {
    for (i, l) in lines.iter().enumerate() {
        let mut col = 0;
        // Indentation: spaces, tabs and look-alikes before the first visible character.
        let mut chars = l.char_indices().peekable();
        while let Some(&(_, c)) = chars.peek() {
            if c == ' ' || c == '\t' {
                col += 1;
                chars.next();
                continue;
            }
            if let Some(what) = lookalike(c).filter(|_| c != '\u{ff1a}') {
                return Some(Explained {
                    line: i + 1,
                    col: col + 1,
                    message: format!("{what}{} is used to indent this line", if what.contains(", which") { "," } else { "" }),
                    help: "it often comes from pasting from Word or a web page: delete the indentation and type it again with ordinary spaces".into(),
                });
            }
            break;
        }
        // The key (after `- ` for a list item), up to its colon.
        let rest: String = chars.map(|(_, c)| c).collect();
        let (dash, key_part) = match rest.strip_prefix("- ") {
            Some(r) => (2, r),
            None => (0, rest.as_str()),
        };
        if key_part.starts_with(['#', '"', '\'', '[', '{', '|', '>']) {
            continue;
        }
        for (k, c) in key_part.chars().enumerate() {
            if c == ':' {
                // Right after the colon: an ordinary space (or the end of the line) is needed.
                if let Some(next) = key_part.chars().nth(k + 1)
                    && let Some(what) = lookalike(next)
                {
                    let key: String = key_part.chars().take(k).collect();
                    return Some(Explained {
                        line: i + 1,
                        col: col + dash + k + 2,
                        message: format!(
                            "{what}{} follows `{key}:`, where YAML needs an ordinary space",
                            if what.contains(", which") { "," } else { "" }
                        ),
                        help: format!(
                            "it often comes from pasting from Word or a web page: delete what is between `{key}:` and the value, and type one space"
                        ),
                    });
                }
                break;
            }
            if let Some(what) = lookalike(c) {
                let key: String = key_part
                    .chars()
                    .take_while(|c| lookalike(*c).is_none() && *c != ':' && !c.is_whitespace())
                    .collect();
                let (message, help) = if c == '\u{ff1a}' || c == '\u{fe55}' || c == '\u{fe13}' {
                    (
                        format!(
                            "`{key}` is followed by {what}: YAML reads only `:` after a field name"
                        ),
                        format!("type an ordinary colon: `{key}: …`"),
                    )
                } else {
                    (
                        format!("{what} is in the field name `{key}`, or between it and its value"),
                        format!(
                            "it often comes from pasting from Word or a web page: type `{key}: ` again"
                        ),
                    )
                };
                return Some(Explained {
                    line: i + 1,
                    col: col + dash + k + 1,
                    message,
                    help,
                });
            }
            if c.is_whitespace() {
                break;
            }
        }
    }
    None
}

/// Keys whose value is one text (never a list or a block), for the explanations that would
/// otherwise suggest brackets.
const TEXT_KEYS: &[&str] = &[
    "title",
    "summary",
    "author",
    "image_alt",
    "image_caption",
    "image_credit",
    "name",
    "description",
    "label",
];

/// QA Q87: the first `key: value` line whose value starts with a YAML indicator the author
/// meant as text, and which reads once its value is quoted.
fn leading_indicator(lines: &[&str]) -> Option<Explained> {
    let mut tried = 0;
    for (i, l) in lines.iter().enumerate() {
        let Some((key, value)) = split_key(l) else {
            continue;
        };
        let v = value.trim();
        let Some(first) = v.chars().next() else {
            continue;
        };
        let what = match first {
            '@' | '`' => "a character YAML keeps for itself",
            '%' => "which YAML reads as a directive",
            '|' | '>' => "which YAML reads as the start of a block of text on the next lines",
            '*' => "which YAML reads as a reference to an anchor (`*name`)",
            '!' => "which YAML reads as a type tag",
            '&' => "which YAML reads as an anchor",
            '-' if v.starts_with("- ") => "which YAML reads as a list item",
            '?' if v.starts_with("? ") => "which YAML reads as a key",
            // Not closed: the explanation below says so.
            '[' | '{' if !TEXT_KEYS.contains(&key) || !closes_bracket(&[v]) => continue,
            '[' => "which YAML reads as the start of a list",
            '{' => "which YAML reads as the start of a set of fields",
            _ => continue,
        };
        tried += 1;
        if tried > 20 {
            return None;
        }
        let start = l.len() - value.len();
        let fixed: String = lines
            .iter()
            .enumerate()
            .map(|(k, other)| {
                if k == i {
                    format!("{}{}\n", &l[..start], quote(v))
                } else {
                    format!("{other}\n")
                }
            })
            .collect();
        if parse(&fixed).is_err() {
            continue;
        }
        let col = l[..l.len() - value.trim_start().len()].chars().count() + 1;
        return Some(Explained {
            line: i + 1,
            col,
            message: format!(
                "the value of `{key}` starts with `{first}`, {what}, so it cannot be read as text"
            ),
            help: format!("put the whole value in quotes: `{key}: {}`", quote(v)),
        });
    }
    None
}

/// `s` cut to `max` characters, with `…` when cut.
fn shorten_chars(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_string(),
    }
}

/// `key: value` (a plain key at any indentation, or after `- `) → (key, value).
fn split_key(line: &str) -> Option<(&str, &str)> {
    let t = line.trim_start();
    let t = t.strip_prefix("- ").unwrap_or(t);
    if t.starts_with(['#', '"', '\'', '[', '{']) {
        return None;
    }
    let colon = t.find(": ")?;
    let key = &t[..colon];
    (!key.is_empty() && !key.contains(' ')).then(|| (key, &t[colon + 2..]))
}

/// Where `key` is written a second time in the mapping that starts at `line`:`col` (1-based,
/// where the parser says a mapping with a duplicate key starts), and whether that mapping is a
/// flow one (`{…}`): its top-level keys are compared, across lines; a block mapping's keys are
/// those at its first key's column, up to the first line indented less. `None` when it is not
/// found there.
fn second_key(lines: &[&str], line: usize, col: usize, key: &str) -> Option<(usize, usize, bool)> {
    let first = lines.get(line.checked_sub(1)?)?;
    let start = first
        .char_indices()
        .nth(col.checked_sub(1)?)
        .map(|(b, _)| b)?;
    let names = |rest: &str| {
        rest.strip_prefix(key)
            .is_some_and(|r| r.trim_start_matches([' ', '\t']).starts_with(':'))
    };
    let at = |i: usize, l: &str, b: usize| (i + 1, l[..b].chars().count() + 1);
    let mut seen = 0;
    if first[start..].starts_with('{') {
        let (mut depth, mut quote, mut expect_key) = (0usize, None, false);
        for (i, l) in lines.iter().enumerate().skip(line - 1) {
            let from = if i == line - 1 { start } else { 0 };
            let mut chars = l[from..].char_indices().map(|(k, c)| (from + k, c));
            while let Some((k, c)) = chars.next() {
                match (quote, c) {
                    (Some('"'), '\\') => {
                        chars.next();
                    }
                    (Some(q), c) if c == q => quote = None,
                    (Some(_), _) => {}
                    (None, '"' | '\'') => {
                        quote = Some(c);
                        expect_key = false;
                    }
                    (None, '{' | '[') => {
                        depth += 1;
                        expect_key = depth == 1;
                    }
                    (None, '}' | ']') => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return None;
                        }
                    }
                    (None, ',') => expect_key = depth == 1,
                    (None, '#') if k == 0 || l[..k].ends_with([' ', '\t']) => break,
                    (None, c) if expect_key && !c.is_whitespace() => {
                        expect_key = false;
                        if names(&l[k..]) {
                            seen += 1;
                            if seen == 2 {
                                let (line, col) = at(i, l, k);
                                return Some((line, col, true));
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        return None;
    }
    for (i, l) in lines.iter().enumerate().skip(line - 1) {
        let k = if i == line - 1 {
            start
        } else {
            let t = l.trim_start_matches(' ');
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let indent = l.len() - t.len();
            if indent < start {
                break;
            }
            if indent > start {
                continue;
            }
            indent
        };
        if names(&l[k..]) {
            seen += 1;
            if seen == 2 {
                let (line, col) = at(i, l, k);
                return Some((line, col, false));
            }
        }
    }
    None
}

/// The byte offset in `rest` of the quote that ends a quoted scalar begun just before it.
fn quote_end(rest: &str, q: char) -> Option<usize> {
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if q == '"' && c == '\\' {
            chars.next();
        } else if c == q {
            if q == '\'' && chars.peek().map(|&(_, c)| c) == Some('\'') {
                chars.next();
            } else {
                return Some(i);
            }
        }
    }
    None
}

/// Whether a quoted scalar that began just before `rest` ends on this line.
fn closes_quote(rest: &str, q: char) -> bool {
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        if q == '"' && c == '\\' {
            chars.next();
        } else if c == q {
            if q == '\'' && chars.peek() == Some(&'\'') {
                chars.next();
            } else {
                return true;
            }
        }
    }
    false
}

/// Whether the flow collection opened at the start of `lines[0]` is closed in `lines` (brackets
/// inside quotes and comments do not count).
fn closes_bracket(lines: &[&str]) -> bool {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    for l in lines {
        for c in l.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '[' | '{') => depth += 1,
                (None, ']' | '}') => {
                    depth -= 1;
                    if depth == 0 {
                        return true;
                    }
                }
                (None, '#') => break,
                _ => {}
            }
        }
    }
    false
}

/// `s` as a YAML double-quoted scalar that reads back as exactly `s`: `"` and `\\` escaped, and
/// every character YAML does not allow raw or reads as a line break (controls, U+0085, U+2028,
/// U+2029, U+FEFF, U+FFFE, U+FFFF) written as an escape.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c.is_control()
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                ) =>
            {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Where each character of `value` is written in `text`, when `value` is the quoted scalar that
/// starts at `line`:`vcol` (1-based; the column is of the opening quote) and its characters are
/// not simply the ones after the quote: escapes (`\"`, `\\`, `\t`, `\u00e9`), `''` in single
/// quotes, a value folded over several lines. `None` for a plain value, a quoted one written
/// as it reads (columns are then the quote's plus one, plus the character's index), or text
/// that does not read back as `value` (a field whose value was changed after parsing: the
/// caller keeps its columns). Hostile author s22: a link after `\"…\"` in a summary was
/// reported two columns early.
pub(crate) fn quoted_places(
    text: &str,
    line: usize,
    vcol: usize,
    value: &str,
) -> Option<Vec<(usize, usize)>> {
    let start = text
        .split_inclusive('\n')
        .take(line.checked_sub(1)?)
        .map(str::len)
        .sum::<usize>();
    let mut chars = text.get(start..)?.chars().peekable();
    for _ in 1..vcol {
        chars.next().filter(|&c| c != '\n')?;
    }
    let q = chars.next().filter(|&c| c == '"' || c == '\'')?;
    let (mut l, mut c) = (line, vcol + 1);
    // (character, line, column, written as itself rather than by an escape)
    let mut read: Vec<(char, usize, usize, bool)> = Vec::with_capacity(value.len());
    loop {
        let ch = chars.next()?;
        let here = (l, c);
        c += 1;
        match ch {
            '"' if q == '"' => break,
            '\'' if q == '\'' => {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                    c += 1;
                    read.push(('\'', here.0, here.1, true));
                } else {
                    break;
                }
            }
            '\\' if q == '"' => {
                let e = chars.next()?;
                let hex = |n: usize, chars: &mut std::iter::Peekable<std::str::Chars<'_>>| {
                    let digits: String = (0..n).filter_map(|_| chars.next()).collect();
                    u32::from_str_radix(&digits, 16)
                        .ok()
                        .and_then(char::from_u32)
                };
                let decoded = match e {
                    'x' => hex(2, &mut chars),
                    'u' => hex(4, &mut chars),
                    'U' => hex(8, &mut chars),
                    '0' => Some('\0'),
                    'a' => Some('\u{7}'),
                    'b' => Some('\u{8}'),
                    't' | '\t' => Some('\t'),
                    'n' => Some('\n'),
                    'v' => Some('\u{b}'),
                    'f' => Some('\u{c}'),
                    'r' => Some('\r'),
                    'e' => Some('\u{1b}'),
                    'N' => Some('\u{85}'),
                    '_' => Some('\u{a0}'),
                    'L' => Some('\u{2028}'),
                    'P' => Some('\u{2029}'),
                    ' ' | '"' | '/' | '\\' => Some(e),
                    '\r' | '\n' => {
                        // An escaped line break: the next line's indentation is left out.
                        if e == '\r' && chars.peek() == Some(&'\n') {
                            chars.next();
                        }
                        (l, c) = (l + 1, 1);
                        while chars.next_if(|&w| w == ' ' || w == '\t').is_some() {
                            c += 1;
                        }
                        continue;
                    }
                    _ => return None,
                };
                c = here.1
                    + 2
                    + match e {
                        'x' => 2,
                        'u' => 4,
                        'U' => 8,
                        _ => 0,
                    };
                read.push((decoded?, here.0, here.1, false));
            }
            '\r' | '\n' => {
                if ch == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                // Folding: the line's trailing blanks go; one line break is a space, each
                // empty line after it a line break.
                while read
                    .last()
                    .is_some_and(|&(w, _, _, raw)| raw && (w == ' ' || w == '\t'))
                {
                    read.pop();
                }
                let at_break = here;
                let mut breaks = 0;
                loop {
                    (l, c) = (l + 1, 1);
                    while chars.next_if(|&w| w == ' ' || w == '\t').is_some() {
                        c += 1;
                    }
                    if chars.peek() == Some(&'\r') {
                        chars.next();
                    }
                    if chars.peek() == Some(&'\n') {
                        chars.next();
                        breaks += 1;
                    } else {
                        break;
                    }
                }
                if breaks == 0 {
                    read.push((' ', at_break.0, at_break.1, false));
                } else {
                    read.extend((0..breaks).map(|_| ('\n', at_break.0, at_break.1, false)));
                }
            }
            ch => read.push((ch, here.0, here.1, true)),
        }
    }
    // Align with `value`: characters lmp takes out of text fields (soft hyphens, zero-width
    // spaces…) may be missing from it.
    let mut out = Vec::with_capacity(read.len());
    let mut read = read.into_iter();
    for v in value.chars() {
        loop {
            let (w, wl, wc, _) = read.next()?;
            if w == v {
                out.push((wl, wc));
                break;
            }
            if !matches!(
                w,
                '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
            ) {
                return None;
            }
        }
    }
    let plain = out
        .iter()
        .enumerate()
        .all(|(i, &(wl, wc))| wl == line && wc == vcol + 1 + i);
    (!plain).then_some(out)
}

/// Line (1-based) and column of each top-level key, and of its value, in `text`: for `title: Hi`
/// on line 3, `("title", 3, 1, 8)`. Only plain `key:` lines at column 1 are recognised.
pub(crate) fn key_positions(text: &str) -> Vec<(String, usize, usize, usize)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        let first = match line.chars().next() {
            Some(c) => c,
            None => continue,
        };
        if first.is_whitespace()
            || matches!(
                first,
                '#' | '-' | '[' | '{' | '\'' | '"' | '&' | '*' | '!' | '|' | '>'
            )
        {
            continue;
        }
        if let Some(colon) = line.find(':') {
            let key = line[..colon].trim_end();
            if key.is_empty()
                || key.contains(' ')
                    && !key
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == ' ' || c == '_')
            {
                continue;
            }
            let after = &line[colon + 1..];
            let ws = after.len() - after.trim_start().len();
            let value_col = line[..colon + 1 + ws].chars().count() + 1;
            out.push((key.to_string(), i + 1, 1, value_col));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(s: &str) {
        let text = format!("title: {}\n", quote(s));
        let y = parse(&text).unwrap_or_else(|e| panic!("{s:?}: {e:?} in {text}"));
        assert_eq!(y.get("title"), Some(&Yaml::Str(s.to_string())), "{text}");
        // Every character is placed where `quote` wrote it (its escape's width each).
        let mut col = 9;
        let want: Vec<(usize, usize)> = s
            .chars()
            .map(|c| {
                let at = (1, col);
                col += quote(&c.to_string()).chars().count() - 2;
                at
            })
            .collect();
        let got = quoted_places(&text, 1, 8, s)
            .unwrap_or_else(|| (0..want.len()).map(|i| (1, 9 + i)).collect());
        assert_eq!(got, want, "{text}");
    }

    #[test]
    fn quoted_strings_read_back_exactly() {
        for s in [
            "plain",
            "a: b # c",
            "\"quoted\" and \\ backslash",
            "- [x] {y} &z *w !v |u >t %s @r `q",
            "---",
            "line\nbreak\r\ttab\u{0}\u{7f}\u{85}\u{2028}\u{2029}\u{feff}\u{ffff}",
            "שלום-👋 Über ß 日本語",
            "",
        ] {
            round_trip(s);
        }
    }

    proptest::proptest! {
        #[test]
        fn any_string_reads_back_exactly(s in proptest::prelude::any::<String>()) {
            round_trip(&s);
        }
    }

    #[test]
    fn parses_and_locates_errors() {
        assert_eq!(
            parse("a: 1\nb: [x, y]\n").unwrap().get("a"),
            Some(&Yaml::Int(1))
        );
        let e = parse("a: 1\nb: [x, y\n").unwrap_err();
        assert!(e.line >= 2, "{e:?}");
        assert!(!e.message.contains(" at line "), "{e:?}");
    }

    #[test]
    fn keeps_dates_and_underscored_numbers_as_strings() {
        let y = parse("date: 2021-06-30\nmembers: 4_500_000\n").unwrap();
        assert_eq!(y.get("date"), Some(&Yaml::Str("2021-06-30".into())));
        assert_eq!(y.get("members"), Some(&Yaml::Str("4_500_000".into())));
    }

    /// QA Q16: 100,000 `[` were 90 s of CPU in the YAML crate before its error.
    #[test]
    fn deep_nesting_is_an_error_at_once() {
        let text = format!("title: T\ntopics: {}\n", "[".repeat(100_000));
        let started = std::time::Instant::now();
        let e = parse(&text).unwrap_err();
        assert!(started.elapsed().as_secs() < 5);
        assert_eq!((e.line, e.col), (2, 9 + MAX_NESTING));
        let x = explain(&text, &e);
        assert_eq!(x.line, 2);
        assert!(x.message.contains("is not closed"), "{}", x.message);
        // Nesting that is closed and shallow still parses, with brackets in quotes not counted.
        let ok = format!("a: [[[x]]]\nb: \"{}\"\n", "[".repeat(200));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn billion_laughs_is_an_error_not_a_hang() {
        let mut s = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for w in names.windows(2) {
            let refs = vec![format!("*{}", w[0]); 9].join(",");
            s.push_str(&format!("{}: &{} [{}]\n", w[1], w[1], refs));
        }
        let started = std::time::Instant::now();
        let r = parse(&s);
        assert!(r.is_err(), "expansion must be refused");
        assert!(started.elapsed().as_secs() < 5);
    }

    /// Hostile author s22: each character of a quoted value is placed where it is written,
    /// past escapes, `''` and line folding.
    #[test]
    fn quoted_places_count_escapes_and_folded_lines() {
        let place = |text: &str, value: &str, ch: char| {
            let k = value.chars().position(|c| c == ch).unwrap();
            quoted_places(text, 2, 10, value).map(|p| p[k])
        };
        // `summary: "…"`: the quote is column 10 of line 2.
        let t = "title: x\nsummary: \"a \\\"b\\\" \\\\ \\u00e9\\t Z\"\n";
        let v = parse(t).unwrap();
        let v = v.get("summary").unwrap().as_str().unwrap();
        assert_eq!(v, "a \"b\" \\ \u{e9}\t Z");
        // a=11, \"=13, b=15, \"=16, \\=19, \u00e9=22, \t=28, Z=31
        assert_eq!(place(t, v, 'b'), Some((2, 15)));
        assert_eq!(place(t, v, '\u{e9}'), Some((2, 22)));
        assert_eq!(place(t, v, 'Z'), Some((2, 31)));
        let t = "title: x\nsummary: 'it''s Z'\n";
        let v = parse(t).unwrap();
        let v = v.get("summary").unwrap().as_str().unwrap();
        assert_eq!(place(t, v, 'Z'), Some((2, 17)));
        // Folded over two lines, the second indented.
        let t = "title: x\nsummary: \"one   \n  two Z\"\n";
        let v = parse(t).unwrap();
        let v = v.get("summary").unwrap().as_str().unwrap();
        assert_eq!(v, "one two Z");
        assert_eq!(place(t, v, 'Z'), Some((3, 7)));
        // The space a line break became is at the line's end.
        assert_eq!(place(t, v, ' '), Some((2, 17)));
        // Written as it reads: no places (the quote's column plus one is right).
        assert_eq!(
            quoted_places("title: x\nsummary: \"ab\"\n", 2, 10, "ab"),
            None
        );
        // Not the value given: no places.
        assert_eq!(quoted_places(t, 2, 10, "other"), None);
        assert_eq!(quoted_places(t, 9, 10, "other"), None);
    }

    #[test]
    fn key_positions_find_value_columns() {
        let p = key_positions("title: Hi\n  nested: x\ndate:   2021-01-01\n");
        assert_eq!(p, vec![("title".into(), 1, 1, 8), ("date".into(), 3, 1, 9)]);
    }
}

#[cfg(test)]
mod explain_tests {
    use super::*;

    fn explained(text: &str) -> (usize, usize, String, String) {
        let e = parse(text).expect_err(text);
        let x = explain(text, &e);
        (x.line, x.col, x.message, x.help)
    }

    /// QA s13: `title: ""Peer advice"` got "use single quotes: `title: '"Peer advice'`", which
    /// drops the closing quote; the doubled quote is what is wrong.
    #[test]
    fn a_doubled_opening_quote_is_said_with_the_value_fixed() {
        let (line, col, msg, help) =
            explained("date: 2014-04-02\ntitle: \"\"Peer advice: one lesson at a time\"\n");
        assert_eq!((line, col), (2, 9), "{msg}");
        assert_eq!(msg, "the value of `title` starts with two `\"`");
        assert_eq!(
            help,
            "remove one of them: `title: \"Peer advice: one lesson at a time\"`"
        );
        // A quote inside the text is still said as before.
        let (_, _, msg, _) = explained("title: \"Say \"yes\" to huddles\"\n");
        assert!(msg.starts_with("the `\"` before `yes"), "{msg}");
    }

    /// QA s14: a field whose `:` was forgotten (`title Labor Management Partnership`) was "mapping
    /// values are not allowed in this context" at the next line.
    #[test]
    fn a_forgotten_colon_is_said_at_its_line_with_the_line_fixed() {
        let (line, col, msg, help) = explained(
            "# The site\ntitle Labor Management Partnership\nbase_url: https://www.lmpartnership.org/\n",
        );
        assert_eq!((line, col), (2, 6), "{msg}");
        assert_eq!(
            msg,
            "this line has no `:` after the name of its field (`title`)"
        );
        assert_eq!(help, "write it `title: Labor Management Partnership`");
        // In a list, not this error.
        let (_, _, msg, _) = explained("menu:\n  - {name: A url: /a/}\n   - x\n");
        assert!(!msg.contains("has no `:`"), "{msg}");
    }

    /// QA Q41: characters pasted from Word or the web that look like a space or a colon, each
    /// named at its own line and column (the parser blamed the next line, in jargon).
    /// QA Q75: a byte order mark at the start (Notepad) is skipped, not "more than one document".
    #[test]
    fn a_leading_byte_order_mark_is_skipped() {
        assert_eq!(
            parse("\u{feff}title: T\nbase_url: x\n")
                .ok()
                .and_then(|y| y.get("title").and_then(|t| t.as_str().map(str::to_string))),
            Some("T".to_string())
        );
    }

    /// QA Q16/Q39: a key written twice is named at its second place, in plain words (it was
    /// "duplicate entry with key" at the first one, with help about indentation).
    #[test]
    fn a_key_written_twice_is_named_at_its_second_place() {
        let (line, col, msg, help) =
            explained("title: A\ndate: 2024-01-02\ntopics:\n  - x\ntitle:  B\n");
        assert_eq!((line, col), (5, 1));
        assert_eq!(
            msg,
            "`title` is written twice: a field can be given only once"
        );
        assert!(help.starts_with("keep the `title:` you mean"), "{help}");
        let (line, _, msg, _) = explained("title: A\ndate: 2024-01-02\ndate:\n");
        assert_eq!(line, 3);
        assert!(msg.starts_with("`date` is written twice"), "{msg}");
    }

    /// Hostile author s21: a key written twice in braces (`{name: A, url: /a/, name: B}`), or
    /// in a block mapping inside a list (a menu item), was told in the parser's words ("menu[0]:
    /// duplicate entry with key") with a help about indentation, and `{en: {…}, en: {…}}` as a
    /// `: ` to quote. Each is named at its second place; the other items' keys do not count.
    #[test]
    fn a_key_written_twice_in_braces_or_a_list_item_is_named_at_its_second_place() {
        let text = "title: T\nmenu:\n  - {name: A, url: /a/}\n  - {name: B, url: /b/, name: C}\n";
        let (line, col, msg, help) = explained(text);
        assert_eq!((line, col), (4, 25), "{msg}");
        assert_eq!(
            msg,
            "`name` is written twice in the same `{…}`: a field can be given only once"
        );
        assert!(help.contains("with its comma"), "{help}");
        let text = "language: en\nlanguages: {en: {name: English}, es: {name: Español},\n  es: {name: E2}}\n";
        let (line, col, msg, _) = explained(text);
        assert_eq!((line, col), (3, 3), "{msg}");
        assert!(
            msg.starts_with("`es` is written twice in the same"),
            "{msg}"
        );
        let text = "languages: {en: {name: English, name: E}}\n";
        let (line, col, msg, _) = explained(text);
        assert_eq!((line, col), (1, 33), "{msg}");
        assert!(msg.starts_with("`name` is written twice"), "{msg}");
        let text = "menu:\n  - name: Stories\n    url: /stories/\n  - name: Regions\n    url: /regions/\n    # name: old\n    name: Areas\n  - name: Last\n";
        let (line, col, msg, help) = explained(text);
        assert_eq!((line, col), (7, 5), "{msg}");
        assert_eq!(
            msg,
            "`name` is written twice: a field can be given only once"
        );
        assert!(help.starts_with("keep the `name:` you mean"), "{help}");
        // A mapping nested in braces is not a text with `: ` in it.
        let (_, _, msg, _) = explained("languages: {en: {name: English}, es: {name: \"Español}}\n");
        assert!(!msg.contains("contains `: `"), "{msg}");
    }

    #[test]
    fn look_alike_spaces_and_colons_are_named_where_they_are() {
        let (line, col, msg, help) =
            explained("title: NBSP\ndate: 2024-01-02\ntopics:\n\u{a0}\u{a0}- bargaining\n");
        assert_eq!((line, col), (4, 1));
        assert!(
            msg.contains("non-breaking space (U+00A0)") && msg.contains("indent"),
            "{msg}"
        );
        assert!(help.contains("ordinary spaces"), "{help}");

        let (line, col, msg, _) =
            explained("title:\u{a0}After colon\ndate: 2024-01-02\nsummary: x\n");
        assert_eq!((line, col), (1, 7), "{msg}");
        assert!(msg.contains("follows `title:`"), "{msg}");

        let (line, col, msg, _) =
            explained("title: Zero width\ndate:\u{200b}2024-01-02\nsummary: x\n");
        assert_eq!((line, col), (2, 6), "{msg}");
        assert!(msg.contains("zero-width space (U+200B)"), "{msg}");

        let (line, col, msg, help) =
            explained("title: Fullwidth colon\ndate\u{ff1a} 2024-01-02\nsummary: x\n");
        assert_eq!((line, col), (2, 5), "{msg}");
        assert!(
            msg.contains("`date` is followed by a full-width colon"),
            "{msg}"
        );
        assert!(help.contains("`date: …`"), "{help}");
    }

    /// QA Q11: config.yaml and strings files get the same plain words as front matter.
    #[test]
    fn a_missing_space_an_equals_sign_and_a_quote_inside_quotes_are_named() {
        let (line, col, msg, help) = explained("title: T\ndate:2024-01-02\nsummary: S\n");
        assert_eq!((line, col), (2, 6), "{msg}");
        assert_eq!(msg, "`date:` needs a space after the colon");
        assert_eq!(help, "write `date: 2024-01-02`");
        let (line, col, msg, help) = explained("title: T\ndate= 2024-01-02\nsummary: S\n");
        assert_eq!((line, col), (2, 5), "{msg}");
        assert!(msg.contains("front matter uses `:`"), "{msg}");
        assert_eq!(help, "write `date: 2024-01-02`");
        let (line, col, msg, help) = explained("title: 'I've got your back'\n");
        assert_eq!((line, col), (1, 10), "{msg}");
        assert_eq!(msg, "the `'` in `I've` ends the quoted value of `title`");
        assert!(help.ends_with("`title: \"I've got your back\"`"), "{help}");
        let (_, _, msg, help) = explained("title: \"She said \"yes\" today\"\n");
        assert_eq!(
            msg,
            "the `\"` before `yes` ends the quoted value of `title`"
        );
        assert!(
            help.ends_with("`title: 'She said \"yes\" today'`"),
            "{help}"
        );
    }

    #[test]
    fn a_list_item_on_the_key_line_gets_the_brackets() {
        let (line, col, msg, help) = explained("title: T\ntopics: - bargaining\n");
        assert_eq!((line, col), (2, 9), "{msg}");
        assert_eq!(msg, "a list item on the line of `topics:`");
        assert!(
            help.starts_with("a list on one line is written in brackets, `topics: [bargaining]`"),
            "{help}"
        );
    }

    /// QA Q87: a title that starts with a character YAML keeps for itself is named, with the
    /// quoted value as the fix (it was "found character that cannot start any token" and the
    /// like, with help about indentation).
    #[test]
    fn a_value_starting_with_a_yaml_indicator_gets_quotes() {
        for (title, first) in [
            ("@home: the app", '@'),
            ("`lmp` in practice", '`'),
            ("%100 partnership", '%'),
            ("| Team news", '|'),
            ("> New approach", '>'),
            ("*New* plan", '*'),
            ("- Draft plan", '-'),
            ("? Why not", '?'),
            ("[Draft] plan", '['),
            ("{Draft} plan", '{'),
            ("& partners", '&'),
        ] {
            let text = format!("date: 2024-01-02\ntitle: {title}\nsummary: S\n");
            let Err(e) = parse(&text) else {
                panic!("{title} reads")
            };
            let x = explain(&text, &e);
            assert_eq!((x.line, x.col), (2, 8), "{title}: {}", x.message);
            assert!(
                x.message
                    .starts_with(&format!("the value of `title` starts with `{first}`, ")),
                "{title}: {}",
                x.message
            );
            assert_eq!(
                x.help,
                format!("put the whole value in quotes: `title: {}`", quote(title)),
                "{title}"
            );
        }
        // A block scalar and a list written as YAML means them are not blamed.
        let (line, _, msg, _) = explained("summary: >\n  Folded\n  text\ntopics: [a]\ntitle: 'x\n");
        assert_eq!(line, 5, "{msg}");
    }

    /// QA Q115: a summary hard-wrapped by an editor onto a second line at the start of a line
    /// is named at that line (it was "could not find expected ':'" at the next field or `---`).
    #[test]
    fn a_value_wrapped_onto_the_next_line_is_named() {
        let (line, col, msg, help) = explained(
            "title: T\ndate: 2024-01-02\nsummary: first line of a long summary\nsecond line of the summary\n",
        );
        assert_eq!((line, col), (4, 1), "{msg}");
        assert_eq!(
            msg,
            "`second line of the summary` is not a field (`name: value`)"
        );
        assert!(
            help.starts_with(
                "to continue `summary` on the next line, indent that line by two spaces"
            ),
            "{help}"
        );
        // Indented, it continues the value: no error at all.
        assert!(parse("title: T\nsummary: first line\n  second line\n").is_ok());
    }

    #[test]
    fn a_pasted_control_character_is_named_at_its_column() {
        let (line, col, msg, _) = explained("title: Pasted\u{b}from PowerPoint\n");
        assert_eq!((line, col), (1, 14), "{msg}");
        assert!(
            msg.contains("U+000B, a line break from PowerPoint or Word"),
            "{msg}"
        );
    }

    #[test]
    fn config_style_mistakes_in_plain_words() {
        let (line, col, msg, help) = explained(
            "title: T\ntaxonomies:\n  topics:\n    - {slug: bargaining, name: Bargaining: the art}\n",
        );
        assert_eq!((line, col), (4, 32), "{msg}");
        assert!(msg.contains("the value of `name` contains `: `"), "{msg}");
        assert!(help.contains("`name: \"Bargaining: the art\"`"), "{help}");
        let (line, col, msg, _) = explained("related: [Relacionados\nmin_read: 5\n");
        assert_eq!((line, col), (1, 10), "{msg}");
        assert!(
            msg.contains("the `[` that starts the value of `related` is not closed"),
            "{msg}"
        );
    }

    #[test]
    fn explains_without_panicking_on_any_text() {
        let e = YamlError {
            line: 2,
            col: 1,
            message: "x".into(),
        };
        for text in [
            "",
            "\t",
            "a: \"é",
            "é: [",
            "- ",
            "-é",
            "  é: b\n  c: d",
            "a: b: c",
            "a: 'x''",
            "a:\n\t- b",
            "a: [\"]\"",
            "a: é\n  b: c",
        ] {
            let x = explain(text, &e);
            assert!(!x.help.is_empty(), "{text:?}");
        }
        assert_eq!(explain("a: [b, \"]\"\n", &e).line, 1);
        assert_eq!(
            explain("a: [b,\n  c]\nd: \"e\n", &e).message,
            "the quote that starts the value of `d` is not closed"
        );
    }
}
