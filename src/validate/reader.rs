//! A small JSON reader for the validator: it reads values in place from text already
//! checked to be UTF-8, borrowing strings that have no escapes, and accepts exactly what
//! `serde_json` accepts (number grammar and range, escapes and surrogate pairs, control
//! characters, nesting depth), so that modelgate and any JSON Schema tool built on a JSON
//! parser agree on what is JSON. It reports only *that* the text is not JSON; the
//! validator then asks serde_json for the message and position.

use std::borrow::Cow;
use std::ops::Range;

/// The text is not JSON (or the walk was stopped early); see the module docs.
#[derive(Debug)]
pub(crate) struct NotJson;

pub(crate) type Result<T> = std::result::Result<T, NotJson>;

/// serde_json refuses a 128th level of nested arrays and objects.
const MAX_DEPTH: usize = 127;

/// What the next value is, from its first byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Null,
    Boolean,
    Number,
    String,
    Array,
    Object,
}

/// A number as read: integers exactly when they fit 64 bits, else as a float.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Num {
    Unsigned(u64),
    Signed(i64),
    Float(f64),
}

/// What `find_member` found.
pub(crate) enum Member<'a> {
    String(Cow<'a, str>),
    Null,
    NotAString,
    Missing,
}

#[derive(Clone)]
pub(crate) struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    /// The bytes of the key last read by [`Reader::next_key`], quotes included.
    key: Range<usize>,
}

impl<'a> Reader<'a> {
    pub fn new(text: &'a str) -> Self {
        Reader {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            depth: 0,
            key: 0..0,
        }
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    #[inline]
    fn whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> Result<()> {
        self.whitespace();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(NotJson)
        }
    }

    /// The kind of the next value.
    pub fn kind(&mut self) -> Result<Kind> {
        self.whitespace();
        Ok(match self.peek().ok_or(NotJson)? {
            b'{' => Kind::Object,
            b'[' => Kind::Array,
            b'"' => Kind::String,
            b'-' | b'0'..=b'9' => Kind::Number,
            b't' | b'f' => Kind::Boolean,
            b'n' => Kind::Null,
            _ => return Err(NotJson),
        })
    }

    /// Only whitespace may follow the value.
    pub fn end(&mut self) -> Result<()> {
        self.whitespace();
        if self.pos == self.bytes.len() {
            Ok(())
        } else {
            Err(NotJson)
        }
    }

    fn literal(&mut self, word: &[u8]) -> Result<()> {
        if self.bytes[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(NotJson)
        }
    }

    pub fn null(&mut self) -> Result<()> {
        self.whitespace();
        self.literal(b"null")
    }

    pub fn boolean(&mut self) -> Result<bool> {
        self.whitespace();
        match self.peek() {
            Some(b't') => self.literal(b"true").map(|_| true),
            _ => self.literal(b"false").map(|_| false),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    pub fn number(&mut self) -> Result<Num> {
        self.whitespace();
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let int_start = self.pos;
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(NotJson),
        }
        let int_end = self.pos;
        let mut float = false;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(NotJson);
            }
            float = true;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(NotJson);
            }
            float = true;
        }
        // "01" is not a number, "0" then "1" is not one either.
        if let Some(b'0'..=b'9') = self.peek() {
            return Err(NotJson);
        }
        if !float {
            let digits = &self.text[int_start..int_end];
            if let Ok(v) = digits.parse::<u64>() {
                if !negative {
                    return Ok(Num::Unsigned(v));
                }
                if let Some(v) = 0i64.checked_sub_unsigned(v) {
                    return Ok(Num::Signed(v));
                }
            }
        }
        let text = &self.text[start..self.pos];
        if let Some(f) = exact_float(text) {
            return Ok(Num::Float(f));
        }
        // The same float algorithm as serde_json, so that a value at a bound reads the
        // same here and in a JSON Schema validator; out-of-range numbers fail alike.
        serde_json::from_str::<f64>(text)
            .map(Num::Float)
            .map_err(|_| NotJson)
    }

    /// Moves past a string without returning it (for strings no rule looks into).
    pub fn skip_string(&mut self) -> Result<()> {
        self.whitespace();
        if self.peek() != Some(b'"') {
            return Err(NotJson);
        }
        self.pos += 1;
        loop {
            self.pos = self.plain_run_end(self.pos)?;
            if self.bytes[self.pos] == b'"' {
                self.pos += 1;
                return Ok(());
            }
            self.pos += 1;
            let mut sink = String::new();
            self.escape(&mut sink)?;
        }
    }

    /// Reads a string, borrowing it when it has no escapes.
    #[inline]
    pub fn string(&mut self) -> Result<Cow<'a, str>> {
        self.whitespace();
        if self.peek() != Some(b'"') {
            return Err(NotJson);
        }
        let start = self.pos + 1;
        self.pos = self.plain_run_end(start)?;
        if self.bytes[self.pos] == b'"' {
            let s = self.text.get(start..self.pos).ok_or(NotJson)?;
            self.pos += 1;
            return Ok(Cow::Borrowed(s));
        }
        self.escaped_string(start).map(Cow::Owned)
    }

    /// The rest of a string that has escapes, from its start; `pos` is at the first `\\`.
    #[cold]
    #[inline(never)]
    fn escaped_string(&mut self, start: usize) -> Result<String> {
        let mut owned = String::from(self.text.get(start..self.pos).ok_or(NotJson)?);
        loop {
            match self.peek().ok_or(NotJson)? {
                b'"' => {
                    self.pos += 1;
                    return Ok(owned);
                }
                b'\\' => {
                    self.pos += 1;
                    self.escape(&mut owned)?;
                }
                _ => {
                    let run = self.pos;
                    self.pos = self.plain_run_end(run)?;
                    owned.push_str(self.text.get(run..self.pos).ok_or(NotJson)?);
                }
            }
        }
    }

    /// From `from`, inside a string: the offset of the next `"` or `\\`. Control
    /// characters before it are not JSON.
    #[inline]
    fn plain_run_end(&self, from: usize) -> Result<usize> {
        let end = next_special(self.bytes, from).ok_or(NotJson)?;
        match self.bytes[end] {
            b'"' | b'\\' => Ok(end),
            _ => Err(NotJson),
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<()> {
        let c = self.peek().ok_or(NotJson)?;
        self.pos += 1;
        out.push(match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex4()?;
                let code = match first {
                    0xD800..=0xDBFF => {
                        self.literal(b"\\u")?;
                        let second = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&second) {
                            return Err(NotJson);
                        }
                        0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                    }
                    0xDC00..=0xDFFF => return Err(NotJson),
                    c => c,
                };
                char::from_u32(code).ok_or(NotJson)?
            }
            _ => return Err(NotJson),
        });
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32> {
        let digits = self.bytes.get(self.pos..self.pos + 4).ok_or(NotJson)?;
        let mut v = 0;
        for d in digits {
            v = v * 16 + (*d as char).to_digit(16).ok_or(NotJson)?;
        }
        self.pos += 4;
        Ok(v)
    }

    fn enter(&mut self, open: u8) -> Result<()> {
        self.eat(open)?;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            Err(NotJson)
        } else {
            Ok(())
        }
    }

    /// Consumes `{`; then call [`Reader::next_key`] until it returns `None`.
    pub fn begin_object(&mut self) -> Result<()> {
        self.enter(b'{')
    }

    /// The next key of the object (and its `:`), or `None` at its end. `first` says
    /// whether no key was read yet.
    pub fn next_key(&mut self, first: bool) -> Result<Option<Cow<'a, str>>> {
        self.whitespace();
        match self.peek() {
            Some(b'}') => {
                self.pos += 1;
                self.depth -= 1;
                return Ok(None);
            }
            Some(b',') if !first => {
                self.pos += 1;
            }
            _ if first => {}
            _ => return Err(NotJson),
        }
        self.whitespace();
        let start = self.pos;
        let key = self.string()?;
        self.key = start..self.pos;
        self.eat(b':')?;
        Ok(Some(key))
    }

    /// The bytes of the key last returned by [`Reader::next_key`], quotes included.
    pub fn key_span(&self) -> Range<usize> {
        self.key.clone()
    }

    /// The byte offset the reader is at: after the last value read, or at the next
    /// value's first byte after [`Reader::kind`].
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// Consumes `[`; then call [`Reader::next_element`] until it returns `false`.
    pub fn begin_array(&mut self) -> Result<()> {
        self.enter(b'[')
    }

    /// Whether another element follows (consuming its `,`), or the array ends.
    pub fn next_element(&mut self, first: bool) -> Result<bool> {
        self.whitespace();
        match self.peek() {
            Some(b']') => {
                self.pos += 1;
                self.depth -= 1;
                Ok(false)
            }
            Some(b',') if !first => {
                self.pos += 1;
                // "[1,]": a value must follow the comma.
                if let Ok(
                    Kind::Array
                    | Kind::Object
                    | Kind::String
                    | Kind::Number
                    | Kind::Boolean
                    | Kind::Null,
                ) = self.kind()
                {
                    Ok(true)
                } else {
                    Err(NotJson)
                }
            }
            _ if first => Ok(true),
            _ => Err(NotJson),
        }
    }

    /// Reads any value, checking that it is JSON.
    pub fn skip_value(&mut self) -> Result<()> {
        match self.kind()? {
            Kind::Null => self.null(),
            Kind::Boolean => self.boolean().map(drop),
            Kind::Number => self.number().map(drop),
            Kind::String => self.string().map(drop),
            Kind::Array => {
                self.begin_array()?;
                let mut first = true;
                while self.next_element(first)? {
                    self.skip_value()?;
                    first = false;
                }
                Ok(())
            }
            Kind::Object => {
                self.begin_object()?;
                let mut first = true;
                while self.next_key(first)?.is_some() {
                    self.skip_value()?;
                    first = false;
                }
                Ok(())
            }
        }
    }

    /// Reads any value, as [`Reader::skip_value`], and returns its JSON text.
    pub fn value_text(&mut self) -> Result<&'a str> {
        self.kind()?;
        let start = self.pos;
        self.skip_value()?;
        Ok(&self.text[start..self.pos])
    }

    /// Looks ahead, inside an object whose `{` was just read, for the member `key`,
    /// without moving, and gives the bytes of its value (of its first byte, for an array
    /// or object). The look-ahead only finds structure; the walk that follows checks the
    /// text for real, so `Missing` may also mean the text is broken.
    pub fn find_member(&self, key: &str) -> (Member<'a>, Range<usize>) {
        let mut scan = self.clone();
        let mut first = true;
        loop {
            let Ok(Some(k)) = scan.next_key(first) else {
                return (Member::Missing, 0..0);
            };
            first = false;
            if k == key {
                let kind = scan.kind();
                let start = scan.pos;
                let member = match kind {
                    Ok(Kind::String) => scan.string().map_or(Member::Missing, Member::String),
                    Ok(Kind::Null) => scan.null().map_or(Member::Missing, |()| Member::Null),
                    _ => {
                        scan.pos += 1;
                        Member::NotAString
                    }
                };
                return (member, start..scan.pos.min(self.bytes.len()));
            }
            if scan.skip_structure().is_err() {
                return (Member::Missing, 0..0);
            }
        }
    }

    /// The bytes of the value at `pointer` (of its first byte, for an array or object;
    /// of the key too, for an object member, when `with_key`), found with this reader. A
    /// key given more than once leads to its last value, the one serde_json keeps.
    /// `None` when the text is not JSON or the pointer leads nowhere.
    pub fn locate(text: &'a str, pointer: &str) -> Option<Range<usize>> {
        let mut r = Reader::new(text);
        r.kind().ok()?;
        let mut at = r.pos;
        if pointer.is_empty() {
            return Some(r.first_token(at));
        }
        let mut key = None;
        for token in pointer.strip_prefix('/')?.split('/') {
            let token = crate::pointer::unescape(token);
            r.pos = at;
            match r.kind().ok()? {
                Kind::Object => {
                    r.begin_object().ok()?;
                    let mut found = None;
                    let mut first = true;
                    while let Some(k) = r.next_key(first).ok()? {
                        first = false;
                        r.kind().ok()?;
                        if k == token {
                            found = Some((r.key_span(), r.pos));
                        }
                        r.skip_value().ok()?;
                    }
                    let (k, value) = found?;
                    key = Some(k);
                    at = value;
                }
                Kind::Array => {
                    let index: usize = token.parse().ok()?;
                    r.begin_array().ok()?;
                    let mut i = 0;
                    loop {
                        if !r.next_element(i == 0).ok()? {
                            return None;
                        }
                        r.kind().ok()?;
                        if i == index {
                            break;
                        }
                        r.skip_value().ok()?;
                        i += 1;
                    }
                    key = None;
                    at = r.pos;
                }
                _ => return None,
            }
        }
        let value = r.first_token(at);
        Some(match key {
            Some(k) if k.start < value.start => k.start..value.end,
            _ => value,
        })
    }

    /// The bytes of the value starting at `at`: the whole token for a scalar, its
    /// first byte for an array or object.
    fn first_token(&mut self, at: usize) -> Range<usize> {
        self.pos = at;
        match self.kind() {
            Ok(Kind::Array | Kind::Object) | Err(_) => at..(at + 1).min(self.bytes.len()),
            Ok(_) => match self.skip_value() {
                Ok(()) => at..self.pos,
                Err(_) => at..(at + 1).min(self.bytes.len()),
            },
        }
    }

    /// Moves past the next value by its structure only (brackets and strings).
    pub fn skip_structure(&mut self) -> Result<()> {
        let mut depth = 0usize;
        loop {
            self.whitespace();
            match self.peek().ok_or(NotJson)? {
                b'"' => {
                    self.pos += 1;
                    loop {
                        self.pos = next_special(self.bytes, self.pos).ok_or(NotJson)?;
                        match self.bytes[self.pos] {
                            b'"' => break,
                            b'\\' => self.pos += 2,
                            _ => self.pos += 1,
                        }
                    }
                    self.pos += 1;
                }
                b'{' | b'[' => {
                    depth += 1;
                    self.pos += 1;
                }
                b'}' | b']' => {
                    depth = depth.checked_sub(1).ok_or(NotJson)?;
                    self.pos += 1;
                }
                b',' | b':' if depth > 0 => self.pos += 1,
                _ => {
                    while let Some(b) = self.peek() {
                        if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                            break;
                        }
                        self.pos += 1;
                    }
                }
            }
            if depth == 0 {
                return Ok(());
            }
        }
    }
}

/// A decimal like `0.7` or `-12.5e3` as f64, when one exact multiplication or division
/// by a power of ten gives the correctly rounded value (at most 2^53 as an integer
/// mantissa, power within 10^22): Clinger's fast path, which every correct parser
/// (serde_json's included) takes for such numbers. `None` otherwise.
fn exact_float(text: &str) -> Option<f64> {
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (number, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], body[i + 1..].parse::<i32>().ok()?),
        None => (body, 0),
    };
    let (int, frac) = number.split_once('.').unwrap_or((number, ""));
    if int.len() + frac.len() > 19 {
        return None;
    }
    let mut mantissa: u64 = 0;
    for d in int.bytes().chain(frac.bytes()) {
        mantissa = mantissa * 10 + u64::from(d - b'0');
    }
    if mantissa > 1 << 53 {
        return None;
    }
    let power = exponent.checked_sub(i32::try_from(frac.len()).ok()?)?;
    let scale = *POW10.get(power.unsigned_abs() as usize)?;
    let magnitude = if power >= 0 {
        mantissa as f64 * scale
    } else {
        mantissa as f64 / scale
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// The offset, from `from`, of the first `"`, `\\` or control character (below 0x20),
/// eight bytes at a time with the classic "has a zero byte" bit tricks.
fn next_special(bytes: &[u8], from: usize) -> Option<usize> {
    swar_special(bytes.get(from..)?).map(|p| from + p)
}

/// [`next_special`] from the start of `bytes`.
#[inline]
fn swar_special(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let Ok(word) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let w = u64::from_le_bytes(word);
        let quote = w ^ (ONES * u64::from(b'"'));
        let backslash = w ^ (ONES * u64::from(b'\\'));
        // A byte is flagged when it is zero (for the XORs) or below 0x20 (for `w`). The
        // lowest flagged byte is always a true match: borrows only spill upwards.
        let found = ((quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (w.wrapping_sub(ONES * 0x20) & !w))
            & HIGH;
        if found != 0 {
            return Some(offset + (found.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .map(|p| offset + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the reader accepts `text` as one JSON value.
    fn accepts(text: &str) -> bool {
        let mut r = Reader::new(text);
        r.skip_value().and_then(|_| r.end()).is_ok()
    }

    #[test]
    fn accepts_exactly_what_serde_json_accepts() {
        let cases = [
            "null",
            "true",
            "false",
            " 0 ",
            "-0",
            "1.5",
            "1e5",
            "1E+2",
            "0.0e0",
            "-1.25e-3",
            "1e-400",
            "1e400",
            "-1e400",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "123456789012345678901234567890e300",
            "01",
            "1.",
            ".5",
            "+1",
            "1e",
            "-",
            "- 1",
            "nul",
            "tru",
            "true false",
            r#""a""#,
            r#""\n\t\"\\\/\b\f\r""#,
            r#""\u0041\u00e9""#,
            r#""\ud83d\ude00""#,
            r#""\ud800""#,
            r#""\udc00""#,
            r#""\ud800\u0041""#,
            r#""\x""#,
            "\"a\u{1}b\"",
            "\"tab\there\"",
            "\"é日😀\"",
            r#""unterminated"#,
            "[]",
            "[1,2]",
            "[1,]",
            "[,1]",
            "[1 2]",
            "{}",
            r#"{"a":1}"#,
            r#"{"a":1,}"#,
            r#"{"a" 1}"#,
            r#"{a:1}"#,
            r#"{"a":1 "b":2}"#,
            r#"{"a":{"b":[{"c":null}]}}"#,
            "[] x",
            "\u{feff}1",
            " \u{c}1",
            "",
        ];
        for text in cases {
            let serde = serde_json::from_str::<serde_json::Value>(text).is_ok();
            assert_eq!(accepts(text), serde, "{text:?}");
        }
    }

    #[test]
    fn nesting_is_limited_like_serde_json() {
        for depth in [1, 126, 127, 128, 500] {
            for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
                let inner = if open == "[" { "" } else { "1" };
                let text = format!("{}{inner}{}", open.repeat(depth), close.repeat(depth));
                let serde = serde_json::from_str::<serde_json::Value>(&text).is_ok();
                assert_eq!(accepts(&text), serde, "{open} x {depth}");
            }
        }
    }

    #[test]
    fn the_float_fast_path_agrees_with_serde_json() {
        let mut cases: Vec<String> = [
            "0.7",
            "0.1",
            "-0.5",
            "2.0",
            "1e22",
            "1e23",
            "9007199254740993.0",
            "0.30000000000000004",
            "123.456e-7",
            "4.9406564584124654e-324",
            "1.7976931348623157e308",
            "-0.0",
            "1E+2",
            "5e-22",
            "5e-23",
            "0.000001",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // A sweep of decimals around the catalog's bounds.
        for i in 0..=4000 {
            cases.push(format!("{}.{:03}", i / 1000, i % 1000));
            cases.push(format!("-{}.{:04}e1", i / 1000, i % 1000));
        }
        for text in &cases {
            let serde: f64 = serde_json::from_str(text).unwrap();
            let ours = match Reader::new(text).number().unwrap() {
                Num::Float(f) => f,
                Num::Unsigned(u) => u as f64,
                Num::Signed(i) => i as f64,
            };
            assert_eq!(ours.to_bits(), serde.to_bits(), "{text}");
        }
    }

    #[test]
    fn numbers_read_as_serde_json_reads_them() {
        for (text, expect) in [
            ("5", "Unsigned(5)"),
            ("-5", "Signed(-5)"),
            ("2.0", "Float(2.0)"),
            ("18446744073709551616", "Float(1.8446744073709552e19)"),
        ] {
            assert_eq!(format!("{:?}", Reader::new(text).number().unwrap()), expect);
        }
    }

    #[test]
    fn special_bytes_are_found_at_every_offset() {
        for len in 0..70 {
            for special in [b'"', b'\\', 0x00, 0x1f] {
                for filler in [b'a', 0x20, 0x7f, 0x80, 0xff, b'!', b'#', b'[', b']'] {
                    let mut bytes = vec![filler; len];
                    bytes.push(special);
                    bytes.extend_from_slice(b"xx\"\\");
                    assert_eq!(
                        next_special(&bytes, 0),
                        Some(len),
                        "{filler:#x} x {len} then {special:#x}"
                    );
                }
            }
            assert_eq!(next_special(&vec![b'a'; len], 0), None);
        }
    }

    #[test]
    fn strings_borrow_unless_escaped() {
        assert!(matches!(
            Reader::new(r#""plain""#).string().unwrap(),
            Cow::Borrowed("plain")
        ));
        assert_eq!(Reader::new(r#""a\u00e9\n""#).string().unwrap(), "aé\n");
    }

    #[test]
    fn members_are_found_ahead_wherever_they_are() {
        let text = r#"{"messages": [{"role": "user", "content": "model"}], "x": {"model": 1}, "model": "m-1"}"#;
        let mut r = Reader::new(text);
        r.begin_object().unwrap();
        assert!(matches!(r.find_member("model").0, Member::String(s) if s == "m-1"));
        assert!(matches!(r.find_member("x").0, Member::NotAString));
        assert!(matches!(r.find_member("nope").0, Member::Missing));
        // Looking ahead does not move the reader.
        assert_eq!(r.next_key(true).unwrap().as_deref(), Some("messages"));
    }
}
