//! Finding NaN and infinite floats in a typed request before it is serialized: JSON has no
//! such numbers, and serde_json writes them as `null`, which the format reads as "not
//! set". A `temperature` of NaN would go out as no temperature at all; this walk finds it
//! first, with its JSON pointer, through serde's data model (no JSON is written).

use serde::ser::{self, Serialize};

/// The pointer of the first non-finite float in `value`, if any.
pub(crate) fn first_non_finite<T: Serialize + ?Sized>(value: &T) -> Option<(String, f64)> {
    let mut walk = Walk::default();
    match value.serialize(&mut walk) {
        Err(Found(pointer, v)) => Some((pointer, v)),
        Ok(()) => None,
    }
}

#[derive(Default)]
struct Walk {
    path: Vec<String>,
}

/// A non-finite float at a pointer (the only "error" this serializer has).
#[derive(Debug)]
struct Found(String, f64);

impl std::fmt::Display for Found {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at {}", self.1, self.0)
    }
}

impl std::error::Error for Found {}

impl ser::Error for Found {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        // Any other serialization failure is found again when the request is written.
        Found(String::new(), 0.0)
    }
}

impl Walk {
    fn pointer(&self) -> String {
        crate::pointer::from_tokens(self.path.iter().map(String::as_str))
    }

    fn float(&self, v: f64) -> Result<(), Found> {
        if v.is_finite() {
            Ok(())
        } else {
            Err(Found(self.pointer(), v))
        }
    }

    fn at<T: Serialize + ?Sized>(&mut self, key: String, value: &T) -> Result<(), Found> {
        self.path.push(key);
        let result = value.serialize(&mut *self);
        self.path.pop();
        result
    }
}

/// A compound value being walked: its next index, and the key of the next map value.
struct Compound<'a> {
    walk: &'a mut Walk,
    index: usize,
    key: Option<String>,
}

impl Compound<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
        let i = self.index;
        self.index += 1;
        self.walk.at(i.to_string(), value)
    }
}

macro_rules! finite_scalars {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, _: $ty) -> Result<(), Found> { Ok(()) })*
    };
}

impl<'a> ser::Serializer for &'a mut Walk {
    type Ok = ();
    type Error = Found;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    finite_scalars!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_char: char, serialize_str: &str, serialize_bytes: &[u8]);

    fn serialize_f32(self, v: f32) -> Result<(), Found> {
        self.float(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Found> {
        self.float(v)
    }
    fn serialize_none(self) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Found> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Found> {
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Found> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        v: &T,
    ) -> Result<(), Found> {
        v.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, Found> {
        Ok(Compound {
            walk: self,
            index: 0,
            key: None,
        })
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'a>, Found> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Found> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Found> {
        self.serialize_seq(None)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, Found> {
        self.serialize_seq(None)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Found> {
        self.serialize_seq(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Found> {
        self.serialize_seq(None)
    }
}

/// The compound traits whose elements are walked by index.
macro_rules! indexed {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Found;
            fn $method<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Found> {
                self.element(v)
            }
            fn end(self) -> Result<(), Found> {
                Ok(())
            }
        }
    )*};
}

indexed!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Found;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Found> {
        // A map key as serde_json would write it (a string, or a number's text).
        self.key = Some(match serde_json::to_value(key) {
            Ok(serde_json::Value::String(s)) => s,
            Ok(other) => other.to_string(),
            Err(_) => String::new(),
        });
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Found> {
        let key = self.key.take().unwrap_or_default();
        self.walk.at(key, v)
    }
    fn end(self) -> Result<(), Found> {
        Ok(())
    }
}

/// The compound traits whose fields are walked by name.
macro_rules! named {
    ($($trait:ident),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Found;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<(), Found> {
                self.walk.at(key.to_string(), v)
            }
            fn end(self) -> Result<(), Found> {
                Ok(())
            }
        }
    )*};
}

named!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_the_first_non_finite_float_with_its_pointer() {
        #[derive(serde::Serialize)]
        struct Req {
            temperature: Option<f64>,
            #[serde(skip_serializing_if = "Option::is_none")]
            top_p: Option<f64>,
            messages: Vec<serde_json::Value>,
        }
        let ok = Req {
            temperature: Some(0.5),
            top_p: None,
            messages: vec![json!({"a/b": [1.5, null]})],
        };
        assert_eq!(first_non_finite(&ok), None);
        let nan = Req {
            temperature: Some(f64::NAN),
            ..ok
        };
        let (pointer, value) = first_non_finite(&nan).unwrap();
        assert_eq!(pointer, "/temperature");
        assert!(value.is_nan());
        let mut map = std::collections::BTreeMap::new();
        map.insert("a/b", vec![1.0, f64::INFINITY]);
        assert_eq!(
            first_non_finite(&map),
            Some(("/a~1b/1".to_string(), f64::INFINITY))
        );
        // A number key (logit_bias's token ids, say) is written as JSON writes it.
        let bias = std::collections::BTreeMap::from([(50256u32, f32::NEG_INFINITY)]);
        assert_eq!(
            first_non_finite(&bias),
            Some(("/50256".to_string(), f64::NEG_INFINITY))
        );
    }
}
