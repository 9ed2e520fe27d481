//! A typed request, serialized once: one serde pass writes the JSON that goes on the wire
//! (what `serde_json::to_vec` writes, byte for byte) and records its [`Tape`] as it goes,
//! so that the validator walks what is sent without reading it again, and a NaN or
//! infinite float (which serde_json would write as `null`, "not set") is caught where it
//! is, with its JSON pointer.

use serde::ser::{self, Serialize};

use super::tape::{Keys, Kind, Num, Tape, Token};

/// Why a value cannot be sent as JSON.
#[derive(Debug)]
pub(crate) enum Unwritable {
    /// A NaN or infinite float, at this pointer.
    NonFinite(String, f64),
    /// Anything else serde_json would refuse (a map key that is not a string, ...).
    Other(String),
}

impl std::fmt::Display for Unwritable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unwritable::NonFinite(pointer, v) => write!(f, "{v} at {pointer}"),
            Unwritable::Other(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Unwritable {}

impl ser::Error for Unwritable {
    fn custom<T: std::fmt::Display>(message: T) -> Self {
        Unwritable::Other(message.to_string())
    }
}

/// `value` as JSON text, with the tape of that text.
pub(crate) fn serialize<T: Serialize + ?Sized>(value: &T) -> Result<(String, Tape), Unwritable> {
    serialize_with_stream(value, None)
}

/// [`serialize`], with the top-level object's `stream` member set by the call rather than
/// by the value: `Some(true)` writes `"stream":true` (in the member's place, or at the
/// end when the value has none), `Some(false)` writes `false` where the value has the
/// member and adds none (the format's default). Written once, in the same pass.
pub(crate) fn serialize_with_stream<T: Serialize + ?Sized>(
    value: &T,
    stream: Option<bool>,
) -> Result<(String, Tape), Unwritable> {
    let mut w = Writer {
        out: Vec::new(),
        tape: Tape::for_json(),
        path: Vec::new(),
        stream,
        stream_written: false,
    };
    value.serialize(&mut w)?;
    if w.stream == Some(true) && !w.stream_written {
        return Err(Unwritable::Other(
            "a streamed call sends a JSON object with `stream: true`; this body is not an object"
                .into(),
        ));
    }
    let text = String::from_utf8(w.out).map_err(|e| Unwritable::Other(e.to_string()))?;
    Ok((text, w.tape))
}

struct Writer {
    out: Vec<u8>,
    tape: Tape,
    /// The keys and indices down to the value being written, for a pointer.
    path: Vec<String>,
    /// The top-level `stream` member the call sets ([`serialize_with_stream`]).
    stream: Option<bool>,
    /// Whether it was written.
    stream_written: bool,
}

impl Writer {
    fn scalar(&mut self, kind: Kind, flag: bool, aux: u32, write: impl FnOnce(&mut Vec<u8>)) {
        let start = self.out.len() as u32;
        write(&mut self.out);
        self.tape.tokens.push(Token {
            kind,
            flag,
            hash: 0,
            start,
            end: self.out.len() as u32,
            aux,
        });
    }

    fn number(&mut self, n: Num) {
        self.tape.numbers.push(n);
        let index = (self.tape.numbers.len() - 1) as u32;
        self.scalar(Kind::Number, false, index, |out| {
            let written = match n {
                Num::Unsigned(v) => serde_json::to_writer(out, &v),
                Num::Signed(v) => serde_json::to_writer(out, &v),
                Num::Float(v) => serde_json::to_writer(out, &v),
            };
            debug_assert!(written.is_ok());
        });
    }

    fn string(&mut self, s: &str) {
        let start = self.out.len();
        let written = serde_json::to_writer(&mut self.out, s);
        debug_assert!(written.is_ok());
        // Escaped on the way out: the content is kept as it is.
        let aux = if self.out.len() - start == s.len() + 2 {
            0
        } else {
            self.tape.strings.push(s.to_string());
            self.tape.strings.len() as u32
        };
        self.tape.tokens.push(Token {
            kind: Kind::String,
            flag: false,
            hash: 0,
            start: start as u32,
            end: self.out.len() as u32,
            aux,
        });
    }

    fn open(&mut self, kind: Kind, bracket: u8) -> usize {
        let start = self.out.len() as u32;
        self.out.push(bracket);
        self.tape.tokens.push(Token {
            kind,
            flag: false,
            hash: 0,
            start,
            end: start,
            aux: 0,
        });
        self.tape.tokens.len() - 1
    }

    /// A key of object `object` (whose keys so far are `keys`) and its colon.
    fn key(&mut self, object: usize, keys: &mut Keys, key: &str) {
        self.string(key);
        self.tape.add_key(&self.out, object, keys, key.as_bytes());
        self.out.push(b':');
    }

    fn close(&mut self, open: usize, bracket: u8) {
        self.out.push(bracket);
        let after = self.tape.tokens.len() as u32;
        let token = &mut self.tape.tokens[open];
        token.end = self.out.len() as u32;
        token.aux = after;
    }

    fn float(&mut self, v: f64) -> Result<(), Unwritable> {
        if !v.is_finite() {
            let pointer = crate::pointer::from_tokens(self.path.iter().map(String::as_str));
            return Err(Unwritable::NonFinite(pointer, v));
        }
        self.number(Num::Float(v));
        Ok(())
    }
}

/// An array or object being written: its opening token, whether a member was written,
/// and for a map the key of the value to come.
struct Compound<'a> {
    w: &'a mut Writer,
    open: usize,
    first: bool,
    index: usize,
    key: Option<String>,
    /// An object's keys so far.
    keys: Keys,
    /// For a variant written as `{"Variant": ...}`: the outer object to close after.
    outer: Option<usize>,
}

impl Compound<'_> {
    fn comma(&mut self) {
        if !self.first {
            self.w.out.push(b',');
        }
        self.first = false;
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unwritable> {
        self.comma();
        self.w.path.push(self.index.to_string());
        self.index += 1;
        let result = value.serialize(&mut *self.w);
        self.w.path.pop();
        result
    }

    /// Whether this is the top-level object (its opening token is the first).
    fn top_level(&self) -> bool {
        self.open == 0 && self.outer.is_none()
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Unwritable> {
        if let Some(on) = self
            .w
            .stream
            .filter(|_| key == "stream" && self.top_level())
        {
            // Once: a second `stream` (a flattened map repeating it) is not written again.
            if self.w.stream_written {
                return Ok(());
            }
            return self.stream_member(on);
        }
        self.comma();
        self.w.key(self.open, &mut self.keys, key);
        self.w.path.push(key.to_string());
        let result = value.serialize(&mut *self.w);
        self.w.path.pop();
        result
    }

    /// The call's `stream` member, in place of the value's.
    fn stream_member(&mut self, on: bool) -> Result<(), Unwritable> {
        self.comma();
        self.w.key(self.open, &mut self.keys, "stream");
        self.w.stream_written = true;
        ser::Serializer::serialize_bool(&mut *self.w, on)
    }

    fn end(mut self, bracket: u8) -> Result<(), Unwritable> {
        if bracket == b'}'
            && self.top_level()
            && self.w.stream == Some(true)
            && !self.w.stream_written
        {
            self.stream_member(true)?;
        }
        self.w.close(self.open, bracket);
        if let Some(outer) = self.outer {
            // The variant's name, pushed when its object was opened.
            self.w.path.pop();
            self.w.close(outer, b'}');
        }
        Ok(())
    }
}

macro_rules! integers {
    ($($method:ident: $ty:ty => $num:ident as $as:ty),*) => {
        $(fn $method(self, v: $ty) -> Result<(), Unwritable> {
            self.number(Num::$num(v as $as));
            Ok(())
        })*
    };
}

/// The compound values of the serializer: an array or object opened here, or (an enum
/// variant holding one) inside `{"variant": ...}`.
impl<'a> Compound<'a> {
    fn new(w: &'a mut Writer, kind: Kind, bracket: u8) -> Self {
        let open = w.open(kind, bracket);
        Compound {
            w,
            open,
            first: true,
            index: 0,
            key: None,
            keys: Keys::default(),
            outer: None,
        }
    }
}

impl Writer {
    fn compound(&mut self, kind: Kind, bracket: u8) -> Compound<'_> {
        Compound::new(self, kind, bracket)
    }

    fn variant_compound(&mut self, variant: &'static str, kind: Kind, bracket: u8) -> Compound<'_> {
        let outer = self.open(Kind::Object, b'{');
        self.key(outer, &mut Keys::default(), variant);
        self.path.push(variant.to_string());
        let mut inner = Compound::new(self, kind, bracket);
        inner.outer = Some(outer);
        inner
    }
}

impl<'a> ser::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = Unwritable;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    integers!(serialize_u8: u8 => Unsigned as u64, serialize_u16: u16 => Unsigned as u64,
        serialize_u32: u32 => Unsigned as u64, serialize_u64: u64 => Unsigned as u64);

    fn serialize_i8(self, v: i8) -> Result<(), Unwritable> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<(), Unwritable> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<(), Unwritable> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<(), Unwritable> {
        // As the reader reads it: non-negative integers are unsigned.
        self.number(match u64::try_from(v) {
            Ok(u) => Num::Unsigned(u),
            Err(_) => Num::Signed(v),
        });
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result<(), Unwritable> {
        match (u64::try_from(v), i64::try_from(v)) {
            (Ok(u), _) => self.serialize_u64(u),
            (_, Ok(i)) => self.serialize_i64(i),
            _ => Err(Unwritable::Other(format!(
                "{v} does not fit a JSON number modelgate reads"
            ))),
        }
    }
    fn serialize_u128(self, v: u128) -> Result<(), Unwritable> {
        match u64::try_from(v) {
            Ok(u) => self.serialize_u64(u),
            Err(_) => Err(Unwritable::Other(format!(
                "{v} does not fit a JSON number modelgate reads"
            ))),
        }
    }
    fn serialize_bool(self, v: bool) -> Result<(), Unwritable> {
        self.scalar(Kind::Boolean, v, 0, |out| {
            out.extend_from_slice(if v { b"true" } else { b"false" })
        });
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Unwritable> {
        self.float(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Unwritable> {
        self.float(v)
    }
    fn serialize_char(self, v: char) -> Result<(), Unwritable> {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Unwritable> {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Unwritable> {
        use ser::SerializeSeq;
        let mut seq = self.serialize_seq(Some(v.len()))?;
        for b in v {
            seq.serialize_element(b)?;
        }
        ser::SerializeSeq::end(seq)
    }
    fn serialize_none(self) -> Result<(), Unwritable> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Unwritable> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Unwritable> {
        self.scalar(Kind::Null, false, 0, |out| out.extend_from_slice(b"null"));
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unwritable> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Unwritable> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Unwritable> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<(), Unwritable> {
        let mut c = self.compound(Kind::Object, b'{');
        c.field(variant, v)?;
        c.end(b'}')
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, Unwritable> {
        Ok(self.compound(Kind::Array, b'['))
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, Unwritable> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, Unwritable> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Unwritable> {
        Ok(self.variant_compound(variant, Kind::Array, b'['))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, Unwritable> {
        Ok(self.compound(Kind::Object, b'{'))
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Compound<'a>, Unwritable> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Unwritable> {
        Ok(self.variant_compound(variant, Kind::Object, b'{'))
    }
}

/// The compound traits whose elements are written by index.
macro_rules! indexed {
    ($($trait:ident :: $method:ident => $bracket:literal),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Unwritable;
            fn $method<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Unwritable> {
                self.element(v)
            }
            fn end(self) -> Result<(), Unwritable> {
                Compound::end(self, $bracket)
            }
        }
    )*};
}

indexed!(
    SerializeSeq::serialize_element => b']',
    SerializeTuple::serialize_element => b']',
    SerializeTupleStruct::serialize_field => b']',
    SerializeTupleVariant::serialize_field => b']'
);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Unwritable;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Unwritable> {
        // A map key as serde_json writes it: a string, or a number's or bool's text.
        self.key = Some(match serde_json::to_value(key) {
            Ok(serde_json::Value::String(s)) => s,
            Ok(v @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_))) => v.to_string(),
            Ok(_) => return Err(Unwritable::Other("key must be a string".into())),
            Err(e) => return Err(Unwritable::Other(e.to_string())),
        });
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Unwritable> {
        let key = self.key.take().unwrap_or_default();
        self.field(&key, v)
    }
    fn end(self) -> Result<(), Unwritable> {
        Compound::end(self, b'}')
    }
}

/// The compound traits whose fields are written by name.
macro_rules! named {
    ($($trait:ident),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Unwritable;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<(), Unwritable> {
                self.field(key, v)
            }
            fn end(self) -> Result<(), Unwritable> {
                Compound::end(self, b'}')
            }
        }
    )*};
}

named!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::BTreeMap;

    #[test]
    fn the_call_sets_the_top_level_stream_member_in_the_same_pass() {
        let text = |value: &serde_json::Value, stream| {
            let (text, tape) = serialize_with_stream(value, stream).unwrap();
            // The tape is the text's: read again, the same tokens.
            let mut again = Tape::for_json();
            again.read(&text).unwrap();
            let spans = |t: &Tape| {
                t.tokens
                    .iter()
                    .map(|t| (t.start, t.end))
                    .collect::<Vec<_>>()
            };
            assert_eq!(spans(&again), spans(&tape), "{text}");
            text
        };
        let with = json!({"model": "m", "stream": false, "x": {"stream": 1}});
        let without = json!({"model": "m", "x": {"stream": 1}});
        assert_eq!(
            text(&with, Some(true)),
            r#"{"model":"m","stream":true,"x":{"stream":1}}"#
        );
        assert_eq!(
            text(&without, Some(true)),
            r#"{"model":"m","x":{"stream":1},"stream":true}"#
        );
        assert_eq!(
            text(&json!({"model": "m", "stream": true}), Some(false)),
            r#"{"model":"m","stream":false}"#
        );
        // No member is added for a call that does not stream (false is the default), and
        // nothing changes without a flag.
        assert_eq!(text(&without, Some(false)), text(&without, None));
        assert_eq!(text(&json!({}), Some(true)), r#"{"stream":true}"#);
        // A body that is not an object cannot stream: refused, not sent without the flag.
        assert!(matches!(
            serialize_with_stream(&json!([1]), Some(true)),
            Err(Unwritable::Other(m)) if m.contains("not an object")
        ));
        assert_eq!(text(&json!([1]), Some(false)), "[1]");
    }

    #[derive(serde::Serialize)]
    enum E {
        Unit,
        New(u8),
        Tuple(u8, String),
        Struct { a: Option<f64> },
    }

    #[test]
    fn writes_what_serde_json_writes_and_its_tape() {
        let mut map = BTreeMap::new();
        map.insert(3, "three");
        let values = [
            json!({"model": "m", "messages": [{"role": "user", "content": "é\n\"q\""}], "t": 0.7, "n": -3, "big": 18446744073709551615u64, "none": null, "ok": true}),
            serde_json::to_value(&map).unwrap(),
            serde_json::to_value([
                E::Unit,
                E::New(1),
                E::Tuple(2, "x".into()),
                E::Struct { a: None },
            ])
            .unwrap(),
        ];
        for v in values {
            let (text, tape) = serialize(&v).unwrap();
            assert_eq!(text, serde_json::to_string(&v).unwrap());
            assert_eq!(tape.to_value(&text, 0), v);
            // The tape is what reading the text makes.
            let read = Tape::parse(&text).unwrap();
            assert_eq!(read.tokens.len(), tape.tokens.len());
            for (a, b) in read.tokens.iter().zip(&tape.tokens) {
                assert_eq!(
                    (a.kind, a.flag, a.hash, a.start, a.end),
                    (b.kind, b.flag, b.hash, b.start, b.end),
                    "{text}"
                );
            }
        }
        // A struct whose flattened map repeats one of its fields: the object is marked,
        // as reading the text marks it.
        #[derive(serde::Serialize)]
        struct Flat {
            model: &'static str,
            #[serde(flatten)]
            extra: BTreeMap<&'static str, u32>,
        }
        let flat = Flat {
            model: "m",
            extra: [("model", 1), ("n", 2)].into_iter().collect(),
        };
        let (text, tape) = serialize(&flat).unwrap();
        assert_eq!(text, r#"{"model":"m","model":1,"n":2}"#);
        assert!(tape.may_repeat(0));
        assert!(Tape::parse(&text).unwrap().may_repeat(0));
        let typed = [
            E::Unit,
            E::New(1),
            E::Tuple(2, "x".into()),
            E::Struct { a: Some(1.5) },
        ];
        let (text, _) = serialize(&typed).unwrap();
        assert_eq!(text, serde_json::to_string(&typed).unwrap());
    }

    #[test]
    fn a_non_finite_float_is_refused_where_it_is() {
        let nan = json!({"a": [1.0, {"b": 2.0}]});
        assert!(serialize(&nan).is_ok());
        #[derive(serde::Serialize)]
        struct R {
            temperature: f64,
            items: Vec<(u8, f32)>,
        }
        let bad = R {
            temperature: 0.5,
            items: vec![(1, 0.5), (2, f32::INFINITY)],
        };
        match serialize(&bad) {
            Err(Unwritable::NonFinite(pointer, v)) => {
                assert_eq!(pointer, "/items/1/1");
                assert!(v.is_infinite());
            }
            other => panic!("{other:?}"),
        }
        let mut bias = BTreeMap::new();
        bias.insert("50256".to_string(), f64::NAN);
        match serialize(&bias) {
            Err(Unwritable::NonFinite(pointer, _)) => assert_eq!(pointer, "/50256"),
            other => panic!("{other:?}"),
        }
    }
}
