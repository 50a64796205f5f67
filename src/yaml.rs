//! The only module that names the YAML crate (`serde_yaml`, deprecated but stable: a maintained
//! fork such as `serde_yaml_ng` replaces it by changing the one `use` below and Cargo.toml).
//!
//! It parses YAML text into our own [`Yaml`] tree, with errors located by line and column in the
//! text given. Keys keep their order. Positions of top-level keys are found by [`key_positions`]
//! (the YAML crate does not expose value spans).

use serde_yaml as backend;

/// A parsed YAML value, independent of the YAML crate.
#[derive(Debug, Clone, PartialEq)]
pub enum Yaml {
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
pub struct YamlError {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl Yaml {
    pub fn type_name(&self) -> &'static str {
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

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Yaml::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Yaml> {
        match self {
            Yaml::Map(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Convert to JSON, for deserialising typed structs with serde.
    pub fn to_json(&self) -> serde_json::Value {
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
pub fn parse(text: &str) -> Result<Yaml, YamlError> {
    if text.trim().is_empty() {
        return Ok(Yaml::Null);
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
    convert(value)
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

/// `s` as a YAML double-quoted scalar that reads back as exactly `s`: `"` and `\\` escaped, and
/// every character YAML does not allow raw or reads as a line break (controls, U+0085, U+2028,
/// U+2029, U+FEFF, U+FFFE, U+FFFF) written as an escape.
pub fn quote(s: &str) -> String {
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

/// Line (1-based) and column of each top-level key, and of its value, in `text`: for `title: Hi`
/// on line 3, `("title", 3, 1, 8)`. Only plain `key:` lines at column 1 are recognised.
pub fn key_positions(text: &str) -> Vec<(String, usize, usize, usize)> {
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

    #[test]
    fn key_positions_find_value_columns() {
        let p = key_positions("title: Hi\n  nested: x\ndate:   2021-01-01\n");
        assert_eq!(p, vec![("title".into(), 1, 1, 8), ("date".into(), 3, 1, 9)]);
    }
}
