//! Finding where a JSON pointer's value sits in JSON text, so that a violation can be
//! shown at its line and column. Only run for payloads that have violations.

/// Byte ranges of a located value (and of its key, when it is an object member).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// The key, quotes included, when the value is an object member.
    pub key: Option<(usize, usize)>,
    /// The value.
    pub value: (usize, usize),
}

/// The span of the value at `pointer` in `text`; `None` when the text is not JSON enough
/// to walk or the pointer leads nowhere.
///
/// ```
/// let text = br#"{"a": {"b": [10, 20]}}"#;
/// let span = modelgate_cli::locate::locate(text, "/a/b/1").unwrap();
/// assert_eq!(&text[span.value.0..span.value.1], b"20");
/// ```
pub fn locate(text: &[u8], pointer: &str) -> Option<Span> {
    let mut s = Scanner { text, pos: 0 };
    s.whitespace();
    let mut span = Span {
        key: None,
        value: (s.pos, s.skip_value()?),
    };
    if pointer.is_empty() {
        return Some(span);
    }
    for token in pointer.strip_prefix('/')?.split('/') {
        let token = modelgate::pointer::unescape(token);
        s.pos = span.value.0;
        span = match text.get(s.pos)? {
            b'{' => s.member(&token)?,
            b'[' => s.element(token.parse().ok()?)?,
            _ => return None,
        };
    }
    Some(span)
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_column(text: &[u8], offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

struct Scanner<'a> {
    text: &'a [u8],
    pos: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    fn whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn expect(&mut self, b: u8) -> Option<()> {
        self.whitespace();
        (self.peek()? == b).then(|| self.pos += 1)
    }

    /// Skips one value; returns the offset just after it.
    fn skip_value(&mut self) -> Option<usize> {
        self.whitespace();
        match self.peek()? {
            b'"' => self.skip_string(),
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                self.pos += 1;
                self.whitespace();
                if self.peek()? == close {
                    self.pos += 1;
                    return Some(self.pos);
                }
                loop {
                    if open == b'{' {
                        self.whitespace();
                        self.skip_string()?;
                        self.expect(b':')?;
                    }
                    self.skip_value()?;
                    self.whitespace();
                    match self.peek()? {
                        b',' => self.pos += 1,
                        b if b == close => {
                            self.pos += 1;
                            return Some(self.pos);
                        }
                        _ => return None,
                    }
                }
            }
            _ => {
                let start = self.pos;
                while matches!(self.peek(), Some(b) if !b" \t\r\n,]}".contains(&b)) {
                    self.pos += 1;
                }
                (self.pos > start).then_some(self.pos)
            }
        }
    }

    fn skip_string(&mut self) -> Option<usize> {
        if self.peek()? != b'"' {
            return None;
        }
        self.pos += 1;
        loop {
            match self.peek()? {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    return Some(self.pos);
                }
                _ => self.pos += 1,
            }
        }
    }

    /// In an object at `pos`: the member called `name`.
    fn member(&mut self, name: &str) -> Option<Span> {
        self.expect(b'{')?;
        loop {
            self.whitespace();
            let key_start = self.pos;
            let key_end = self.skip_string()?;
            let key: String = serde_json::from_slice(&self.text[key_start..key_end]).ok()?;
            self.expect(b':')?;
            self.whitespace();
            let value_start = self.pos;
            let value_end = self.skip_value()?;
            if key == name {
                return Some(Span {
                    key: Some((key_start, key_end)),
                    value: (value_start, value_end),
                });
            }
            self.expect(b',')?;
        }
    }

    /// In an array at `pos`: element `index`.
    fn element(&mut self, index: usize) -> Option<Span> {
        self.expect(b'[')?;
        for i in 0.. {
            self.whitespace();
            let start = self.pos;
            let end = self.skip_value()?;
            if i == index {
                return Some(Span {
                    key: None,
                    value: (start, end),
                });
            }
            self.expect(b',')?;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_at(text: &[u8], pointer: &str) -> (String, Option<String>) {
        let span = locate(text, pointer).unwrap();
        let value = String::from_utf8_lossy(&text[span.value.0..span.value.1]).into_owned();
        let key = span
            .key
            .map(|(a, b)| String::from_utf8_lossy(&text[a..b]).into_owned());
        (value, key)
    }

    #[test]
    fn finds_members_elements_and_escaped_keys() {
        let text = br#" { "x": "a,}\"b", "a/b": {"m~n": [1, {"k": true}, []]} } "#;
        assert_eq!(text_at(text, "/x").0, r#""a,}\"b""#);
        assert_eq!(
            text_at(text, "/a~1b/m~0n/1/k"),
            ("true".into(), Some(r#""k""#.into()))
        );
        assert_eq!(text_at(text, "/a~1b/m~0n/2").0, "[]");
        assert_eq!(locate(text, "/a~1b/m~0n/3"), None);
        assert_eq!(locate(text, "/nope"), None);
    }

    #[test]
    fn lines_and_columns_count_characters() {
        let text = "{\n  \"é\": 1,\n  \"b\": 2\n}".as_bytes();
        let span = locate(text, "/b").unwrap();
        assert_eq!(line_column(text, span.value.0), (3, 8));
        let span = locate(text, "/é").unwrap();
        assert_eq!(line_column(text, span.value.0), (2, 8));
    }

    #[test]
    fn broken_text_gives_none_not_a_panic() {
        for text in [&b"{"[..], b"{\"a\" 1}", b"[1,", b"", b"\"abc"] {
            assert_eq!(locate(text, "/a/0"), None);
        }
    }
}
