//! The located token tape: the one pass over a payload's bytes. A JSON text is read once
//! into a flat list of tokens, each with the bytes it spans in the text, arrays and
//! objects with the index of the token after them (so that the walk can look ahead by
//! index, and skip a value, without reading bytes again), numbers read into values, and
//! strings with escapes read into their contents. Other front ends build the same tape
//! without JSON text: a YAML document (its spans in the YAML text), a typed request (no
//! spans).
//!
//! The reader accepts exactly what `serde_json` accepts (number grammar and range,
//! escapes and surrogate pairs, control characters, nesting depth), so that modelgate and
//! any JSON Schema tool built on a JSON parser agree on what is JSON. It reports only
//! *that* the text is not JSON (and where it stopped); the validator then asks
//! serde_json for its words.

use std::ops::Range;

use modelgate_rules::{key_hash, same_bytes};

mod read;
use read::Reader;

/// serde_json refuses a 128th level of nested arrays and objects.
pub(crate) const MAX_DEPTH: usize = 127;

/// The text is not JSON: the reader stopped at this byte offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct NotJson(pub usize);

/// A text that is not JSON: where the reading stopped, and the root object's `model`
/// (its last string value) when the reading got that far, to say what the payload was for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Broken {
    pub at: usize,
    pub model: Option<String>,
}

/// Objects with more keys than this are not checked for a repeated key as their tape is
/// built (the check compares a key with those before it): they are marked as possibly
/// repeating one, and the walk finds repeats by hashing.
pub(crate) const KEYS_COMPARED: u32 = 32;

/// What is known of an open object's keys while its tape is built: how many, and a
/// 64-bit Bloom filter of their hashes (a key whose bit is clear is new, without a
/// comparison).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Keys {
    count: u32,
    bloom: u64,
}

/// An array or object the reader is inside: its token, which it is, and (an object's)
/// keys so far.
#[derive(Clone, Copy, Debug)]
struct Open {
    token: u32,
    object: bool,
    keys: Keys,
}

/// What a token is.
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
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Num {
    Unsigned(u64),
    Signed(i64),
    Float(f64),
}

impl Num {
    pub fn as_f64(self) -> f64 {
        match self {
            Num::Unsigned(v) => v as f64,
            Num::Signed(v) => v as f64,
            Num::Float(v) => v,
        }
    }
}

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Num::Unsigned(v) => v.fmt(f),
            Num::Signed(v) => v.fmt(f),
            Num::Float(v) => v.fmt(f),
        }
    }
}

/// One value (or key) of the tape.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Token {
    pub kind: Kind,
    /// `true`/`false` for a boolean. For an object: it may give a key twice (it does,
    /// or it has more keys than [`KEYS_COMPARED`]); see [`Tape::add_key`].
    pub flag: bool,
    /// For an object's key: its [`key_hash`], by which the walk finds its property.
    pub hash: u16,
    /// The bytes it spans in the text: a whole scalar, an array or object from its
    /// opening to its closing bracket.
    pub start: u32,
    pub end: u32,
    /// An array or object: the index of the token after it. A number: its index in
    /// [`Tape::numbers`]. A string: 0 when its content is the text between its quotes,
    /// else 1 + its index in [`Tape::strings`].
    pub aux: u32,
}

/// A payload as tokens; see the module docs. The first token is the root value. An
/// object's tokens are, per member, its key (a string) then its value.
#[derive(Debug, Default)]
pub(crate) struct Tape {
    pub tokens: Vec<Token>,
    pub numbers: Vec<Num>,
    /// Contents of strings that are not the text between their quotes (escaped JSON
    /// strings; every string of a tape built without JSON text).
    pub strings: Vec<String>,
    /// Whether the spans index a JSON text (a value's bytes are then its JSON).
    pub json_text: bool,
    /// The reader's stack of open arrays and objects (memory kept for the next read).
    open: Vec<Open>,
}

impl Tape {
    /// An empty tape whose spans will index a JSON text.
    pub fn for_json() -> Tape {
        Tape {
            json_text: true,
            ..Tape::default()
        }
    }

    /// Reads a JSON text (one value, whitespace around it) into this tape, reusing its
    /// memory; see [`Broken`] for a text that is not JSON.
    pub fn read(&mut self, text: &str) -> Result<(), Broken> {
        self.tokens.clear();
        self.numbers.clear();
        self.strings.clear();
        self.json_text = true;
        self.tokens.reserve(text.len() / 6 + 4);
        let mut reader = Reader {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            tape: self,
        };
        reader.document().map_err(|NotJson(at)| Broken {
            at,
            model: reader.model_so_far(),
        })
    }

    /// Reads a JSON text (one value, whitespace around it).
    pub fn parse(text: &str) -> Result<Tape, NotJson> {
        let mut tape = Tape::for_json();
        tape.read(text).map_err(|broken| NotJson(broken.at))?;
        Ok(tape)
    }

    /// Records string token `key`, the last pushed, as a key of object `object` whose
    /// keys so far are `keys`: the key's hash, and the object's `flag` when it repeats a
    /// key before it. `bytes` is the text the spans index; `content`, the key's content.
    #[inline(always)]
    pub fn add_key(&mut self, bytes: &[u8], object: usize, keys: &mut Keys, content: &[u8]) {
        let key = self.tokens.len() - 1;
        let hash = key_hash(content);
        self.tokens[key].hash = hash;
        if self.tokens[object].flag {
            return;
        }
        keys.count += 1;
        let bit = 1u64 << (hash & 63);
        if keys.count > KEYS_COMPARED
            || (keys.bloom & bit != 0 && self.has_key(bytes, object, key, hash, content))
        {
            self.tokens[object].flag = true;
        }
        keys.bloom |= bit;
    }

    /// Whether object `object` has a key `content` (of hash `hash`) before token `end`.
    fn has_key(&self, bytes: &[u8], object: usize, end: usize, hash: u16, content: &[u8]) -> bool {
        let mut at = object + 1;
        while at < end {
            if self.tokens[at].hash == hash && same_bytes(self.content(bytes, at), content) {
                return true;
            }
            at = self.next(at + 1);
        }
        false
    }

    /// The content of string token `i` as bytes (of `bytes`, the text, or of the tape).
    #[inline]
    pub fn content<'t>(&'t self, bytes: &'t [u8], i: usize) -> &'t [u8] {
        let t = &self.tokens[i];
        match t.aux {
            0 => &bytes[t.start as usize + 1..t.end as usize - 1],
            n => self.strings[n as usize - 1].as_bytes(),
        }
    }

    /// Whether object `i` may give a key twice (if not, each key's first copy is its
    /// last).
    #[inline]
    pub fn may_repeat(&self, i: usize) -> bool {
        self.tokens[i].flag
    }

    /// The index of the token after value `i` (and everything inside it).
    #[inline]
    pub fn next(&self, i: usize) -> usize {
        let t = &self.tokens[i];
        match t.kind {
            Kind::Array | Kind::Object => t.aux as usize,
            _ => i + 1,
        }
    }

    /// The bytes token `i` spans.
    #[inline]
    pub fn span(&self, i: usize) -> Range<usize> {
        let t = &self.tokens[i];
        t.start as usize..t.end as usize
    }

    /// The bytes a finding about value `i` points to: a whole scalar, the first byte of
    /// an array or object.
    pub fn value_span(&self, i: usize) -> Range<usize> {
        let t = &self.tokens[i];
        match t.kind {
            Kind::Array | Kind::Object => {
                t.start as usize..(t.start as usize + 1).min(t.end as usize)
            }
            _ => t.start as usize..t.end as usize,
        }
    }

    /// The content of string token `i`, borrowed from `text` or from the tape.
    #[inline]
    pub fn str<'t>(&'t self, text: &'t str, i: usize) -> &'t str {
        let t = &self.tokens[i];
        match t.aux {
            0 => &text[t.start as usize + 1..t.end as usize - 1],
            n => &self.strings[n as usize - 1],
        }
    }

    /// The value of number token `i`.
    #[inline]
    pub fn num(&self, i: usize) -> Num {
        self.numbers[self.tokens[i].aux as usize]
    }

    /// The members of object `i`: (key token, value token) pairs, in order.
    pub fn members(&self, i: usize) -> Members<'_> {
        Members {
            tape: self,
            at: i + 1,
            end: self.tokens[i].aux as usize,
        }
    }

    /// The elements of array `i`, in order.
    pub fn elements(&self, i: usize) -> Elements<'_> {
        Elements {
            tape: self,
            at: i + 1,
            end: self.tokens[i].aux as usize,
        }
    }

    /// Value `i` as a `serde_json::Value`.
    pub fn to_value(&self, text: &str, i: usize) -> serde_json::Value {
        use serde_json::Value;
        let t = &self.tokens[i];
        match t.kind {
            Kind::Null => Value::Null,
            Kind::Boolean => Value::Bool(t.flag),
            Kind::Number => match self.num(i) {
                Num::Unsigned(v) => Value::from(v),
                Num::Signed(v) => Value::from(v),
                Num::Float(v) => Value::from(v),
            },
            Kind::String => Value::String(self.str(text, i).to_string()),
            Kind::Array => Value::Array(self.elements(i).map(|e| self.to_value(text, e)).collect()),
            Kind::Object => Value::Object(
                self.members(i)
                    .map(|(k, v)| (self.str(text, k).to_string(), self.to_value(text, v)))
                    .collect(),
            ),
        }
    }

    /// Value `i` as JSON text: its own bytes when the tape was read from JSON, else
    /// written from the tokens.
    pub fn json(&self, text: &str, i: usize) -> String {
        if self.json_text {
            text[self.span(i)].to_string()
        } else {
            self.to_value(text, i).to_string()
        }
    }

    /// The value of the last member of object `i` called `key`, of [`key_hash`] `hash`
    /// (serde_json keeps the last of a repeated key): its token.
    #[inline(always)]
    pub fn last_member_value(&self, text: &str, i: usize, key: &str, hash: u16) -> Option<usize> {
        let once = !self.may_repeat(i);
        let mut found = None;
        let (mut at, end) = (i + 1, self.tokens[i].aux as usize);
        while at < end {
            let value = at + 1;
            if self.tokens[at].hash == hash
                && same_bytes(self.content(text.as_bytes(), at), key.as_bytes())
            {
                found = Some(value);
                if once {
                    break;
                }
            }
            at = self.next(value);
        }
        found
    }

    /// The value of the last member of object `i` called `key` (serde_json keeps the last
    /// of a repeated key), and the bytes of that key.
    #[inline(always)]
    pub fn last_member(&self, text: &str, i: usize, key: &str) -> Option<(usize, Range<usize>)> {
        let hash = key_hash(key.as_bytes());
        let once = !self.may_repeat(i);
        let mut found = None;
        for (k, v) in self.members(i) {
            if self.tokens[k].hash == hash
                && same_bytes(self.content(text.as_bytes(), k), key.as_bytes())
            {
                found = Some((v, self.span(k)));
                if once {
                    break;
                }
            }
        }
        found
    }
}

/// See [`Tape::members`].
pub(crate) struct Members<'t> {
    tape: &'t Tape,
    at: usize,
    end: usize,
}

impl Iterator for Members<'_> {
    type Item = (usize, usize);

    #[inline]
    fn next(&mut self) -> Option<(usize, usize)> {
        if self.at >= self.end {
            return None;
        }
        let key = self.at;
        let value = key + 1;
        self.at = self.tape.next(value);
        Some((key, value))
    }
}

/// See [`Tape::elements`].
pub(crate) struct Elements<'t> {
    tape: &'t Tape,
    at: usize,
    end: usize,
}

impl Iterator for Elements<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        if self.at >= self.end {
            return None;
        }
        let value = self.at;
        self.at = self.tape.next(value);
        Some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::read::{next_special, swar_special};
    use super::*;

    fn accepts(text: &str) -> bool {
        Tape::parse(text).is_ok()
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
            r#""esc\"aped"#,
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
            "1e-2147483648",
            "1.5e-2147483647",
            "-1e-99999999999",
            "12345678901234567890e-5",
            "0.00000000000000000001",
            "1234567890123456789.5",
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
            let tape = Tape::parse(text).unwrap();
            assert_eq!(tape.num(0).as_f64().to_bits(), serde.to_bits(), "{text}");
        }
    }

    #[test]
    fn an_object_that_gives_a_key_twice_is_marked_as_read() {
        let marked = |text: &str| {
            let tape = Tape::parse(text).unwrap();
            (0..tape.tokens.len())
                .filter(|&i| tape.tokens[i].kind == Kind::Object && tape.may_repeat(i))
                .map(|i| tape.span(i).start)
                .collect::<Vec<_>>()
        };
        assert_eq!(marked(r#"{"a": 1, "b": 2}"#), [0usize; 0]);
        assert_eq!(marked(r#"{"a": 1, "a": 2}"#), [0]);
        assert_eq!(marked(r#"{"a": 1, "\u0061": 2}"#), [0], "escaped");
        assert_eq!(marked(r#"{"\u0061": 1, "a": 2}"#), [0], "escaped first");
        assert_eq!(
            marked(r#"{"x": {"a": 1}, "a": 2}"#),
            [0usize; 0],
            "other levels"
        );
        assert_eq!(
            marked(r#"[{"a": 1}, {"a": 1}]"#),
            [0usize; 0],
            "other objects"
        );
        assert_eq!(marked(r#"{"x": {"a": 1, "a": 1}, "y": 2}"#), [6], "inner");
        // Past KEYS_COMPARED keys, an object is marked without comparing.
        let many = |n: u32| {
            let members: Vec<String> = (0..n).map(|i| format!("\"k{i}\": {i}")).collect();
            format!("{{{}}}", members.join(", "))
        };
        assert_eq!(marked(&many(KEYS_COMPARED)), [0usize; 0]);
        assert_eq!(marked(&many(KEYS_COMPARED + 1)), [0]);
        // Every key's hash is its content's.
        let tape = Tape::parse(r#"{"model": 1, "\u006dodel": 2}"#).unwrap();
        assert_eq!(tape.tokens[1].hash, key_hash(b"model"));
        assert_eq!(tape.tokens[3].hash, key_hash(b"model"));
        assert_eq!(
            tape.last_member(r#"{"model": 1, "\u006dodel": 2}"#, 0, "model")
                .map(|m| m.0),
            Some(4)
        );
    }

    #[test]
    fn numbers_read_as_serde_json_reads_them() {
        for (text, expect) in [
            ("5", "Unsigned(5)"),
            ("-5", "Signed(-5)"),
            ("2.0", "Float(2.0)"),
            ("18446744073709551616", "Float(1.8446744073709552e19)"),
            ("18446744073709551615", "Unsigned(18446744073709551615)"),
            ("-9223372036854775808", "Signed(-9223372036854775808)"),
            ("-9223372036854775809", "Float(-9.223372036854776e18)"),
            ("0", "Unsigned(0)"),
            ("-0", "Signed(0)"),
        ] {
            assert_eq!(format!("{:?}", Tape::parse(text).unwrap().num(0)), expect);
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
                    assert_eq!(swar_special(&bytes), Some(len));
                }
            }
            assert_eq!(next_special(&vec![b'a'; len], 0), None);
            assert_eq!(swar_special(&vec![b'a'; len]), None);
        }
    }

    #[test]
    fn tokens_span_their_bytes_and_containers_know_where_they_end() {
        let text = r#"{"a": [1, "x\ny"], "b": {"c": null}, "a": true}"#;
        let tape = Tape::parse(text).unwrap();
        let members: Vec<(&str, &str)> = tape
            .members(0)
            .map(|(k, v)| (tape.str(text, k), &text[tape.span(v)]))
            .collect();
        assert_eq!(
            members,
            [
                ("a", r#"[1, "x\ny"]"#),
                ("b", r#"{"c": null}"#),
                ("a", "true")
            ]
        );
        let (array, _) = tape.members(0).next().map(|(_, v)| (v, ())).unwrap();
        let items: Vec<usize> = tape.elements(array).collect();
        assert_eq!(tape.num(items[0]), Num::Unsigned(1));
        assert_eq!(tape.str(text, items[1]), "x\ny");
        // The last of a repeated key.
        let (value, key) = tape.last_member(text, 0, "a").unwrap();
        assert_eq!(&text[tape.span(value)], "true");
        assert_eq!(&text[key], "\"a\"");
        assert_eq!(tape.next(0), tape.tokens.len());
    }
}
