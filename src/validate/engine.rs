//! The validator's walk: one pass of serde_json over the payload, checking each value
//! against the static rule tree of its model as it is read, without building a
//! `serde_json::Value`. Entries that come before the key that selects the rules (`model` at
//! the top, `type` in a content part) are kept as borrowed raw JSON and checked once the
//! selector is known.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::context::{Context, Subject};
use crate::catalog::{ModelId, ModelStatus};
use crate::schema::{IntegerRule, NumberRule, ObjectRule, Rule, StringRule, TaggedRule};

/// Walks `bytes` as a request body; violations and what was chosen end up in `cx`.
/// Returns the JSON syntax error, if the bytes are not one JSON value.
pub(crate) fn walk<'de>(bytes: &'de [u8], cx: &mut Context<'de>) -> Result<(), serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    Root { cx }.deserialize(&mut de)?;
    de.end()
}

/// The JSON kinds a value can have.
#[derive(Clone, Copy)]
enum Kind {
    Null,
    Boolean,
    Number,
    String,
    Array,
    Object,
}

impl Kind {
    fn describe(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Boolean => "a boolean",
            Kind::Number => "a number",
            Kind::String => "a string",
            Kind::Array => "an array",
            Kind::Object => "an object",
        }
    }
}

/// The rule (or alternative of a union) that applies to a value of `kind`.
fn pick(rule: Rule, kind: Kind) -> Option<Rule> {
    let fits = |r: &Rule| {
        matches!(
            (r, kind),
            (Rule::Any, _)
                | (Rule::Null, Kind::Null)
                | (Rule::Boolean, Kind::Boolean)
                | (Rule::Integer(_) | Rule::Number(_), Kind::Number)
                | (Rule::String(_), Kind::String)
                | (Rule::Array(_), Kind::Array)
                | (Rule::Object(_) | Rule::Tagged(_), Kind::Object)
        )
    };
    match rule {
        Rule::OneOfType(alternatives) => alternatives.iter().copied().find(fits),
        r if fits(&r) => Some(r),
        _ => None,
    }
}

/// A JSON number as serde_json reports it.
#[derive(Clone, Copy)]
enum Num {
    Unsigned(u64),
    Signed(i64),
    Float(f64),
}

impl Num {
    fn as_f64(self) -> f64 {
        match self {
            Num::Unsigned(v) => v as f64,
            Num::Signed(v) => v as f64,
            Num::Float(v) => v,
        }
    }

    fn text(self) -> String {
        match self {
            Num::Unsigned(v) => v.to_string(),
            Num::Signed(v) => v.to_string(),
            Num::Float(v) => v.to_string(),
        }
    }
}

/// Checks one value against one rule.
struct Check<'c, 'de> {
    rule: Rule,
    cx: &'c mut Context<'de>,
}

impl<'de> DeserializeSeed<'de> for Check<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        if let Rule::Any = self.rule {
            d.deserialize_any(Skip)
        } else {
            d.deserialize_any(self)
        }
    }
}

/// Reads a value the rules do not constrain. Unlike `IgnoredAny` it parses numbers and
/// strings for real, so that a number out of range or a string that is not UTF-8 fails
/// here as it fails any JSON parser (and a JSON Schema validator with it).
struct Skip;

impl<'de> DeserializeSeed<'de> for Skip {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(Skip)
    }
}

impl<'de> Visitor<'de> for Skip {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Skip)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key_seed(KeySeed)?.is_some() {
            map.next_value_seed(Skip)?;
        }
        Ok(())
    }
}

impl Check<'_, '_> {
    /// The rule for a value of `kind`, or a wrong_type violation.
    fn rule_for(&mut self, kind: Kind) -> Option<Rule> {
        let picked = pick(self.rule, kind);
        if picked.is_none() {
            self.cx.wrong_type(&self.rule, kind.describe());
        }
        picked
    }

    fn number(mut self, n: Num) {
        match self.rule_for(Kind::Number) {
            Some(Rule::Integer(r)) => check_integer(r, n, self.cx),
            Some(Rule::Number(r)) => check_number(r, n, self.cx),
            _ => {}
        }
    }
}

fn check_integer(r: IntegerRule, n: Num, cx: &mut Context) {
    let value: Option<i128> = match n {
        Num::Unsigned(v) => Some(i128::from(v)),
        Num::Signed(v) => Some(i128::from(v)),
        Num::Float(f) if f.is_finite() && f.fract() == 0.0 => None,
        Num::Float(f) => {
            cx.wrong_type(&Rule::Integer(r), &format!("{f}"));
            return;
        }
    };
    let below = match (value, r.minimum) {
        (Some(v), Some(m)) => v < i128::from(m),
        (None, Some(m)) => n.as_f64() < m as f64,
        _ => false,
    };
    let above = match (value, r.maximum) {
        (Some(v), Some(m)) => v > i128::from(m),
        (None, Some(m)) => n.as_f64() > m as f64,
        _ => false,
    };
    if below || above {
        cx.out_of_range(&n.text(), r.minimum.map(|v| v.to_string()), r.maximum.map(|v| v.to_string()), above);
    }
}

fn check_number(r: NumberRule, n: Num, cx: &mut Context) {
    let v = n.as_f64();
    let below = r.minimum.is_some_and(|m| v < m);
    let above = r.maximum.is_some_and(|m| v > m);
    if below || above {
        cx.out_of_range(&n.text(), r.minimum.map(|v| v.to_string()), r.maximum.map(|v| v.to_string()), above);
    }
}

fn check_string(r: StringRule, s: &str, cx: &mut Context) {
    if let Some(fixed) = r.fixed {
        if s != fixed {
            cx.fixed_mismatch(s, fixed);
            return;
        }
    }
    if !r.allowed.is_empty() && !r.allowed.contains(&s) {
        cx.not_in_enum(s, r.allowed);
    }
    if let Some(max) = r.max_length {
        // A string has at least as many bytes as characters: count only when needed.
        if s.len() as u64 > max {
            let chars = s.chars().count();
            if chars as u64 > max {
                cx.too_long(chars, max);
            }
        }
    }
}

impl<'de> Visitor<'de> for Check<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(mut self, _: bool) -> Result<(), E> {
        self.rule_for(Kind::Boolean);
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.number(Num::Signed(v));
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.number(Num::Unsigned(v));
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.number(Num::Float(v));
        Ok(())
    }

    fn visit_str<E: de::Error>(mut self, v: &str) -> Result<(), E> {
        if let Some(Rule::String(r)) = self.rule_for(Kind::String) {
            check_string(r, v, self.cx);
        }
        Ok(())
    }

    fn visit_unit<E: de::Error>(mut self) -> Result<(), E> {
        self.rule_for(Kind::Null);
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let Some(Rule::Array(items)) = self.rule_for(Kind::Array) else {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(());
        };
        let mut index = 0;
        loop {
            self.cx.push_index(index);
            let more = seq.next_element_seed(Check { rule: *items, cx: self.cx });
            self.cx.pop();
            if more?.is_none() {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(mut self, map: A) -> Result<(), A::Error> {
        match self.rule_for(Kind::Object) {
            Some(Rule::Object(o)) => walk_object(map, o, self.cx),
            Some(Rule::Tagged(t)) => walk_selected(map, &TagSelector(t), self.cx),
            _ => drain(map),
        }
    }
}

fn drain<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Reads a key, borrowed from the input when it has no escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }
}

/// The properties of one object being walked: which were seen, for `required`.
struct ObjectWalk {
    rule: &'static ObjectRule,
    /// Bit i set: property i was present. The generator keeps objects to 64 properties.
    seen: u64,
}

impl ObjectWalk {
    fn new(rule: &'static ObjectRule) -> Self {
        ObjectWalk { rule, seen: 0 }
    }

    /// The rule of property `key`; records an unsupported parameter when there is none.
    fn lookup(&mut self, key: &str, cx: &mut Context) -> Option<Rule> {
        match self.rule.properties.iter().position(|p| p.name == key) {
            Some(i) => {
                self.seen |= 1u64.checked_shl(i as u32).unwrap_or(0);
                Some(self.rule.properties[i].rule)
            }
            None => {
                if !self.rule.additional {
                    cx.unsupported(key, self.rule);
                }
                None
            }
        }
    }

    /// Checks the value of `key` as it comes from `map`.
    fn streamed<'de, A: MapAccess<'de>>(&mut self, key: Cow<'de, str>, map: &mut A, cx: &mut Context<'de>) -> Result<(), A::Error> {
        match self.lookup(&key, cx) {
            Some(rule) => {
                cx.push_key(key);
                let result = map.next_value_seed(Check { rule, cx });
                cx.pop();
                result
            }
            None => map.next_value_seed(Skip),
        }
    }

    /// Checks the value of `key` kept as raw JSON.
    fn buffered<'de>(&mut self, key: Cow<'de, str>, raw: &'de RawValue, cx: &mut Context<'de>) -> Result<(), serde_json::Error> {
        match self.lookup(&key, cx) {
            Some(rule) => {
                cx.push_key(key);
                let mut de = serde_json::Deserializer::from_str(raw.get());
                let result = Check { rule, cx }.deserialize(&mut de);
                cx.pop();
                result
            }
            None => Skip.deserialize(&mut serde_json::Deserializer::from_str(raw.get())),
        }
    }

    fn finish(self, cx: &mut Context) {
        for (i, p) in self.rule.properties.iter().enumerate() {
            let bit = 1u64.checked_shl(i as u32).unwrap_or(0);
            if p.required && bit != 0 && self.seen & bit == 0 {
                cx.missing(p.name);
            }
        }
    }
}

fn walk_object<'de, A: MapAccess<'de>>(mut map: A, rule: &'static ObjectRule, cx: &mut Context<'de>) -> Result<(), A::Error> {
    let mut walk = ObjectWalk::new(rule);
    while let Some(key) = map.next_key_seed(KeySeed)? {
        walk.streamed(key, &mut map, cx)?;
    }
    walk.finish(cx);
    Ok(())
}

/// What the selector key of an object held.
enum Selection<'a> {
    Value(&'a str),
    NotAString,
    Missing,
}

/// Chooses the rules of an object from the value of one of its keys.
trait Selector {
    fn key(&self) -> &'static str;
    /// The rules to check the object against; `None` leaves the rest unchecked (after
    /// recording why).
    fn select(&self, selection: Selection, cx: &mut Context) -> Option<&'static ObjectRule>;
}

/// Walks an object whose rules depend on one of its keys: entries before that key are
/// kept raw, then checked once the rules are chosen; entries after it stream through.
fn walk_selected<'de, A: MapAccess<'de>>(mut map: A, selector: &dyn Selector, cx: &mut Context<'de>) -> Result<(), A::Error> {
    let mut pending: Vec<(Cow<'de, str>, &'de RawValue)> = Vec::new();
    let mut chosen: Option<Option<ObjectWalk>> = None;
    while let Some(key) = map.next_key_seed(KeySeed)? {
        match &mut chosen {
            Some(Some(walk)) => walk.streamed(key, &mut map, cx)?,
            Some(None) => map.next_value_seed(Skip)?,
            None => {
                let raw: &'de RawValue = map.next_value()?;
                let is_selector = key == selector.key();
                pending.push((key, raw));
                if is_selector {
                    let selection = match serde_json::from_str::<Cow<str>>(raw.get()) {
                        Ok(value) => selector.select(Selection::Value(&value), cx),
                        Err(_) => selector.select(Selection::NotAString, cx),
                    };
                    let mut walk = selection.map(ObjectWalk::new);
                    replay(&mut walk, &mut pending, cx).map_err(de::Error::custom)?;
                    chosen = Some(walk);
                }
            }
        }
    }
    let walk = match chosen {
        Some(walk) => walk,
        None => {
            let mut walk = selector.select(Selection::Missing, cx).map(ObjectWalk::new);
            replay(&mut walk, &mut pending, cx).map_err(de::Error::custom)?;
            walk
        }
    };
    if let Some(walk) = walk {
        walk.finish(cx);
    }
    Ok(())
}

fn replay<'de>(walk: &mut Option<ObjectWalk>, pending: &mut Vec<(Cow<'de, str>, &'de RawValue)>, cx: &mut Context<'de>) -> Result<(), serde_json::Error> {
    if let Some(walk) = walk {
        for (key, raw) in pending.drain(..) {
            walk.buffered(key, raw, cx)?;
        }
    }
    Ok(())
}

/// Selects a content part's shape by its tag (`type`).
struct TagSelector(&'static TaggedRule);

impl Selector for TagSelector {
    fn key(&self) -> &'static str {
        self.0.tag
    }

    fn select(&self, selection: Selection, cx: &mut Context) -> Option<&'static ObjectRule> {
        let tagged = self.0;
        match selection {
            Selection::Value(v) => {
                let variant = tagged.variants.iter().find(|(tag, _)| *tag == v).map(|(_, o)| *o);
                if variant.is_none() {
                    let allowed: Vec<&str> = tagged.variants.iter().map(|(tag, _)| *tag).collect();
                    cx.unknown_tag(tagged.tag, v, &allowed);
                }
                variant
            }
            Selection::NotAString => {
                cx.not_a_string_selector(tagged.tag);
                None
            }
            Selection::Missing => {
                cx.missing(tagged.tag);
                None
            }
        }
    }
}

/// Selects the request's rules by its `model`, on the requested or default endpoint.
struct ModelSelector;

impl Selector for ModelSelector {
    fn key(&self) -> &'static str {
        "model"
    }

    fn select(&self, selection: Selection, cx: &mut Context) -> Option<&'static ObjectRule> {
        let requested = cx.requested_endpoint;
        let generic = |cx: &mut Context| {
            cx.endpoint = requested;
            requested.map(|e| {
                cx.subject = Subject::Endpoint(e);
                e.info().generic
            })
        };
        let id = match selection {
            Selection::Value(id) => id,
            // With an endpoint to fall back on, its schema reports the missing or wrong model.
            Selection::NotAString => {
                let rules = generic(cx);
                if rules.is_none() {
                    cx.not_a_string_selector("model");
                }
                return rules;
            }
            Selection::Missing => {
                let rules = generic(cx);
                if rules.is_none() {
                    cx.missing("model");
                }
                return rules;
            }
        };
        cx.model = Some(id.to_string());
        let Some(info) = ModelId::from_id(id).map(ModelId::info) else {
            cx.unknown_model(id);
            return generic(cx);
        };
        cx.model_info = Some(info);
        let endpoint = requested.or_else(|| info.default_endpoint())?;
        cx.endpoint = Some(endpoint);
        if !info.endpoints.contains(&endpoint) {
            cx.wrong_endpoint(info, endpoint);
            cx.subject = Subject::Endpoint(endpoint);
            return Some(endpoint.info().generic);
        }
        cx.subject = Subject::Model(info.id.unwrap_or(info.name));
        match (info.status, info.request(endpoint)) {
            (ModelStatus::Documented, Some(request)) => Some(request.rule),
            _ => {
                cx.notes.push(format!(
                    "{id} is listed in the catalog without documented parameters; only the {} envelope was checked",
                    endpoint.key()
                ));
                Some(endpoint.info().generic)
            }
        }
    }
}

/// The request body: an object whose rules its `model` selects.
struct Root<'c, 'de> {
    cx: &'c mut Context<'de>,
}

impl<'de> DeserializeSeed<'de> for Root<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Root<'_, 'de> {
    fn not_an_object<E>(self, kind: Kind) -> Result<(), E> {
        let rule = Rule::Object(&EMPTY_OBJECT);
        self.cx.wrong_type(&rule, kind.describe());
        Ok(())
    }
}

static EMPTY_OBJECT: ObjectRule = ObjectRule {
    properties: &[],
    additional: true,
};

impl<'de> Visitor<'de> for Root<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        walk_selected(map, &ModelSelector, self.cx)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        self.not_an_object(Kind::Array)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.not_an_object(Kind::Boolean)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.not_an_object(Kind::Number)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.not_an_object(Kind::Number)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.not_an_object(Kind::Number)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.not_an_object(Kind::String)
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.not_an_object(Kind::Null)
    }
}
