//! The rule tree: what a request body must look like, for one model on one endpoint (or,
//! for an endpoint's base tree, for any model of the format it follows).
//!
//! Every property says whether the gateway documents it ([`Basis::Documented`]) or only
//! the public format has it ([`Basis::Format`]), and where its facts come from. The same
//! tree is what the validator walks and what the JSON Schema ([`crate::schema`]) renders,
//! so the two agree by construction.

use serde::{Deserialize, Serialize};

use crate::PropertyLookup;
use serde_json::Value;

/// What a check rests on: a gateway's documentation, or only the public request format
/// the endpoint follows (catalog note `knowledge-levels`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The gateway documents it for the model (or the property sits inside something the
    /// gateway documents). Breaking its limits is an error; its presence is unremarkable.
    Documented,
    /// Only the public format has it. Its types and limits are the format's, and its
    /// presence is reported as `undocumented_parameter`.
    #[default]
    Format,
    /// Not in the format's schema, but sent in practice by the format's own reference
    /// material (the OpenAI cookbook sends `name` on a `tool` message and the API
    /// answers): its presence is reported as `undocumented_parameter`, never as an
    /// unknown parameter, and no gateway's documentation makes it documented.
    Practice,
}

/// Where a fact comes from: a source document and the section in it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    /// A key of `sources` in catalog.yaml, e.g. `seed-000`.
    pub doc: String,
    /// The section of that document, e.g. `Anthropic / Claude 3 Haiku`.
    pub section: String,
}

/// One node of a rule tree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Node {
    /// Any JSON value.
    Any,
    /// `null`.
    Null,
    /// `true` or `false`.
    Boolean,
    /// A whole number (JSON Schema `integer`: 2 and 2.0 both are).
    Integer(IntegerRule),
    /// Any number.
    Number(NumberRule),
    /// A string.
    String(StringNode),
    /// An array.
    Array(Box<ArrayNode>),
    /// An object.
    Object(ObjectNode),
    /// One of several alternatives that differ in JSON type (e.g. string or array).
    OneOfType(Vec<Node>),
    /// Objects told apart by the string value of a tag property (`type`).
    Tagged(TaggedNode),
}

/// Bounds of a whole number, both inclusive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegerRule {
    /// Smallest allowed value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<i64>,
    /// Largest allowed value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<i64>,
}

/// Bounds of a number, both inclusive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NumberRule {
    /// Smallest allowed value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<f64>,
    /// Largest allowed value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<f64>,
}

/// Constraints on a string.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StringNode {
    /// Allowed values; empty (with `warn_values` empty too) means any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed: Vec<String>,
    /// Values accepted with an `undocumented_value` warning: the format has them, the
    /// gateway's (non-exhaustive) list does not.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warn_values: Vec<String>,
    /// The only value accepted (a fixed image size, the model's own ID).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    /// Maximum length in characters (Unicode scalar values, as JSON Schema counts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
}

impl StringNode {
    /// Whether the string is limited to listed values.
    pub fn is_enum(&self) -> bool {
        !self.allowed.is_empty() || !self.warn_values.is_empty()
    }

    /// Whether the rule says nothing about the string's value.
    pub fn is_free(&self) -> bool {
        !self.is_enum() && self.fixed.is_none() && self.max_length.is_none()
    }

    /// Every value accepted: the allowed ones, then those accepted with a warning.
    pub fn all_values(&self) -> impl Iterator<Item = &String> {
        self.allowed.iter().chain(&self.warn_values)
    }
}

/// An array and its limits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArrayNode {
    /// What every item must be.
    pub items: Node,
    /// Fewest items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u64>,
    /// Most items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u64>,
}

/// What an object says about members it does not list.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Additional {
    /// Not allowed: an unknown member is an error (with a did-you-mean).
    Forbidden,
    /// Allowed, whatever they hold (free-form objects such as a JSON Schema).
    #[default]
    Any,
    /// Allowed, each value matching the node (a map such as `metadata`).
    Rule(Box<Node>),
}

impl Additional {
    fn is_any(&self) -> bool {
        matches!(self, Additional::Any)
    }
}

/// An object's properties.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ObjectNode {
    /// Known properties, in the order the schema lists them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<Property>,
    /// Members it does not list.
    #[serde(default, skip_serializing_if = "Additional::is_any")]
    pub additional: Additional,
    /// The OpenAPI schema it came from (`ChatMessage`), to name things after it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// A table for [`ObjectNode::find`], built on first use (never serialized or
    /// compared; a clone starts without one). Build objects with `..Default::default()`.
    #[serde(skip)]
    pub lookup: PropertyLookup,
}

/// One property of an object.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Property {
    /// Its key.
    pub name: String,
    /// What its value must be.
    pub node: Node,
    /// Whether it must be present.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// Whether the gateway documents it or only the format has it.
    #[serde(default, skip_serializing_if = "is_format")]
    pub basis: Basis,
    /// Whether the format marks it deprecated.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// What it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The value used when it is absent (boxed, as the next: rarely read, and a
    /// validator reads many properties, so they are kept small).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Box<Value>>,
    /// Where its facts come from: the model's documentation for a documented property,
    /// the format's reference for the others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Box<SourceRef>>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_format(b: &Basis) -> bool {
    *b == Basis::Format
}

/// A union of object shapes selected by a tag property.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TaggedNode {
    /// The property whose value selects the variant.
    pub tag: String,
    /// The variants, in schema order.
    pub variants: Vec<Variant>,
    /// The variant used when the tag is absent or null (Anthropic's custom tools, whose
    /// `type` is optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<usize>,
}

/// One shape of a tagged union.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    /// The tag value that selects it.
    pub value: String,
    /// The shape (which includes the tag property itself).
    pub object: ObjectNode,
    /// Accepted with an `undocumented_value` warning: the format has it, the gateway's
    /// (non-exhaustive) list of tag values does not.
    #[serde(default, skip_serializing_if = "is_false")]
    pub warn: bool,
}

impl ObjectNode {
    /// The property called `name`.
    pub fn property(&self, name: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.name == name)
    }

    /// The index of the property called `name`, found through a table built on first
    /// use: for trees that no longer change (the validator's), as a table built before
    /// `properties` changed would give wrong answers. Change a clone instead.
    #[inline]
    pub fn find(&self, name: &str) -> Option<usize> {
        self.find_hashed(crate::key_hash(name.as_bytes()), name.as_bytes())
    }

    /// [`ObjectNode::find`] with the name's [`crate::key_hash`] already known (the
    /// validator's tape holds each key's).
    #[inline(always)]
    pub fn find_hashed(&self, hash: u16, name: &[u8]) -> Option<usize> {
        self.lookup.find(&self.properties, hash, name)
    }

    /// Bit `n` set for each required property `n` among the first 64 (kept with the
    /// table of [`ObjectNode::find`], under the same condition).
    #[inline]
    pub fn required_mask(&self) -> u64 {
        self.lookup.required(&self.properties)
    }

    pub(crate) fn property_mut(&mut self, name: &str) -> Option<&mut Property> {
        self.properties.iter_mut().find(|p| p.name == name)
    }

    /// Names of the properties, in order.
    pub fn property_names(&self) -> Vec<&str> {
        self.properties.iter().map(|p| p.name.as_str()).collect()
    }

    /// Marks every property below this object documented (a gateway that documents a
    /// parameter documents its parts).
    pub fn mark_documented(&mut self) {
        for p in &mut self.properties {
            // What only practice sends stays reported: no source documents it.
            if p.basis != Basis::Practice {
                p.basis = Basis::Documented;
            }
            p.node.mark_documented();
        }
        if let Additional::Rule(n) = &mut self.additional {
            n.mark_documented();
        }
    }
}

impl TaggedNode {
    /// The variant whose tag value is `value`.
    pub fn variant(&self, value: &str) -> Option<&Variant> {
        let value = value.as_bytes();
        self.variants
            .iter()
            .find(|v| crate::same_bytes(v.value.as_bytes(), value))
    }

    /// The tag values, in order.
    pub fn values(&self) -> Vec<&str> {
        self.variants.iter().map(|v| v.value.as_str()).collect()
    }
}

impl Node {
    /// The JSON type this node matches, as JSON Schema names it; `None` for unions and Any.
    pub fn json_type(&self) -> Option<&'static str> {
        Some(match self {
            Node::Null => "null",
            Node::Boolean => "boolean",
            Node::Integer(_) => "integer",
            Node::Number(_) => "number",
            Node::String(_) => "string",
            Node::Array(_) => "array",
            Node::Object(_) | Node::Tagged(_) => "object",
            Node::Any | Node::OneOfType(_) => return None,
        })
    }

    /// Whether the node takes `null`.
    pub fn accepts_null(&self) -> bool {
        match self {
            Node::Any | Node::Null => true,
            Node::OneOfType(alts) => alts.iter().any(Node::accepts_null),
            _ => false,
        }
    }

    /// What the node expects, in words (`an integer`, `a string or an array`).
    pub fn expected(&self) -> String {
        match self {
            Node::Any => "any value".into(),
            Node::Null => "null".into(),
            Node::Boolean => "a boolean".into(),
            Node::Integer(_) => "an integer".into(),
            Node::Number(_) => "a number".into(),
            Node::String(_) => "a string".into(),
            Node::Array(_) => "an array".into(),
            Node::Object(_) | Node::Tagged(_) => "an object".into(),
            Node::OneOfType(alts) => {
                let words: Vec<String> = alts.iter().map(Node::expected).collect();
                words.join(" or ")
            }
        }
    }

    /// Marks every property below this node documented.
    pub fn mark_documented(&mut self) {
        match self {
            Node::Object(o) => o.mark_documented(),
            Node::Array(a) => a.items.mark_documented(),
            Node::OneOfType(alts) => alts.iter_mut().for_each(Node::mark_documented),
            Node::Tagged(t) => t
                .variants
                .iter_mut()
                .for_each(|v| v.object.mark_documented()),
            _ => {}
        }
    }

    /// Whether `value` satisfies this node (used to check catalog defaults). Values
    /// accepted with a warning count as accepted.
    pub fn accepts(&self, value: &Value) -> bool {
        match (self, value) {
            (Node::Any, _) | (Node::Null, Value::Null) | (Node::Boolean, Value::Bool(_)) => true,
            (Node::Integer(r), Value::Number(n)) => {
                let whole =
                    n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0);
                let f = n.as_f64().unwrap_or(f64::NAN);
                whole
                    && r.minimum.is_none_or(|m| f >= m as f64)
                    && r.maximum.is_none_or(|m| f <= m as f64)
            }
            (Node::Number(r), Value::Number(n)) => {
                let f = n.as_f64().unwrap_or(f64::NAN);
                r.minimum.is_none_or(|m| f >= m) && r.maximum.is_none_or(|m| f <= m)
            }
            (Node::String(s), Value::String(v)) => {
                (!s.is_enum() || s.all_values().any(|a| a == v))
                    && s.fixed.as_ref().is_none_or(|f| f == v)
                    && s.max_length.is_none_or(|m| v.chars().count() as u64 <= m)
            }
            (Node::Array(a), Value::Array(values)) => {
                let n = values.len() as u64;
                a.min_items.is_none_or(|m| n >= m)
                    && a.max_items.is_none_or(|m| n <= m)
                    && values.iter().all(|v| a.items.accepts(v))
            }
            (Node::Object(o), Value::Object(map)) => object_accepts(o, map),
            (Node::OneOfType(alts), v) => alts.iter().any(|a| a.accepts(v)),
            (Node::Tagged(t), Value::Object(map)) => {
                let variant = match map.get(&t.tag) {
                    Some(Value::String(tag)) => t.variant(tag),
                    None | Some(Value::Null) => t.default.map(|i| &t.variants[i]),
                    Some(_) => None,
                };
                variant.is_some_and(|v| object_accepts(&v.object, map))
            }
            _ => false,
        }
    }
}

fn object_accepts(o: &ObjectNode, map: &serde_json::Map<String, Value>) -> bool {
    let known = o.properties.iter().all(|p| match map.get(&p.name) {
        Some(Value::Null) if !p.required => true,
        Some(v) => p.node.accepts(v),
        None => !p.required,
    });
    let others = map
        .iter()
        .filter(|(k, _)| o.property(k).is_none())
        .all(|(_, v)| match &o.additional {
            Additional::Forbidden => false,
            Additional::Any => true,
            Additional::Rule(n) => n.accepts(v),
        });
    known && others
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_round_trips_through_its_serialized_form_leaving_defaults_out() {
        let tree = ObjectNode {
            properties: vec![Property {
                name: "max_tokens".into(),
                node: Node::OneOfType(vec![
                    Node::Null,
                    Node::Integer(IntegerRule {
                        minimum: Some(1),
                        maximum: None,
                    }),
                ]),
                required: false,
                basis: Basis::Format,
                deprecated: false,
                description: None,
                default: None,
                source: None,
            }],
            additional: Additional::Forbidden,
            ..Default::default()
        };
        let text = serde_json::to_string(&tree).unwrap();
        assert_eq!(
            text,
            r#"{"properties":[{"name":"max_tokens","node":{"one_of_type":["null",{"integer":{"minimum":1}}]}}],"additional":"forbidden"}"#
        );
        let back: ObjectNode = serde_json::from_str(&text).unwrap();
        assert_eq!(back, tree);
    }
}
