//! The shape of a request schema as static data: what the generated catalog builds for
//! every model and endpoint, and what the validator walks. Generated code only fills in
//! these types; it holds no logic.

/// What a JSON value must be.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Rule {
    /// Any value.
    Any,
    /// `null`.
    Null,
    /// `true` or `false`.
    Boolean,
    /// A whole number (2 and 2.0 both count, as in JSON Schema).
    Integer(IntegerRule),
    /// Any number.
    Number(NumberRule),
    /// A string.
    String(StringRule),
    /// An array whose items all match a rule.
    Array(&'static ArrayRule),
    /// An object.
    Object(&'static ObjectRule),
    /// One of several rules that differ in JSON type (string or array, ...).
    OneOfType(&'static [Rule]),
    /// Objects told apart by the value of a tag property.
    Tagged(&'static TaggedRule),
}

/// Bounds of a whole number, both inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IntegerRule {
    /// Smallest allowed value.
    pub minimum: Option<i64>,
    /// Largest allowed value.
    pub maximum: Option<i64>,
}

/// Bounds of a number, both inclusive.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NumberRule {
    /// Smallest allowed value.
    pub minimum: Option<f64>,
    /// Largest allowed value.
    pub maximum: Option<f64>,
}

/// Constraints on a string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StringRule {
    /// Allowed values; empty (with `warn_values` empty too) means any.
    pub allowed: &'static [&'static str],
    /// Values accepted with an `undocumented_value` warning: the format has them, the
    /// gateway's list does not.
    pub warn_values: &'static [&'static str],
    /// The only value the model takes (a fixed image size, the model's own ID).
    pub fixed: Option<&'static str>,
    /// Maximum length in characters (Unicode scalar values).
    pub max_length: Option<u64>,
}

/// An array and its limits.
#[derive(Debug, PartialEq)]
pub struct ArrayRule {
    /// What every item must be.
    pub items: Rule,
    /// Fewest items.
    pub min_items: Option<u64>,
    /// Most items.
    pub max_items: Option<u64>,
}

/// An object's known properties.
#[derive(Debug, PartialEq)]
pub struct ObjectRule {
    /// The properties, in schema order.
    pub properties: &'static [Property],
    /// What members it does not list may be.
    pub additional: Additional,
}

/// What an object says about members it does not list.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Additional {
    /// None allowed: each is an `unknown_parameter`.
    Forbidden,
    /// Any allowed (a free-form object).
    Any,
    /// Allowed when the value matches the rule (a map such as `metadata`).
    Rule(&'static Rule),
}

/// What a check rests on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    /// The gateway documents it for the model.
    Documented,
    /// Only the endpoint's public request format has it: its limits are the format's,
    /// and its presence is an `undocumented_parameter` finding.
    Format,
}

/// One property of an object.
#[derive(Debug, PartialEq)]
pub struct Property {
    /// Its key.
    pub name: &'static str,
    /// What its value must be.
    pub rule: Rule,
    /// Whether it must be present.
    pub required: bool,
    /// Whether the gateway documents it or only the format has it.
    pub basis: Basis,
    /// Whether the format marks it deprecated (a `deprecated_parameter` finding).
    pub deprecated: bool,
    /// The value the gateway uses when it is absent, as JSON text.
    pub default: Option<&'static str>,
    /// Where the model's constraints on it come from.
    pub source: Option<Source>,
}

/// A union of object shapes selected by a tag property (`{"type": "text", ...}`).
#[derive(Debug, PartialEq)]
pub struct TaggedRule {
    /// The tag property.
    pub tag: &'static str,
    /// The shapes, by tag value.
    pub variants: &'static [Variant],
    /// Index of the variant used when the tag is absent or null.
    pub default: Option<usize>,
}

/// One shape of a tagged union.
#[derive(Debug, PartialEq)]
pub struct Variant {
    /// The tag value that selects it.
    pub value: &'static str,
    /// The shape.
    pub object: &'static ObjectRule,
    /// Accepted with an `undocumented_value` finding: the format has it, the gateway's
    /// list of tag values does not.
    pub warn: bool,
}

impl TaggedRule {
    /// The variant selected by `value`.
    pub fn variant(&self, value: &str) -> Option<&'static Variant> {
        self.variants.iter().find(|v| v.value == value)
    }

    /// The tag values, in schema order.
    pub fn values(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.variants.iter().map(|v| v.value)
    }
}

/// Where a fact comes from: a source document and a section of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Source {
    /// Short name of the document (`seed-000`, `public-facts`).
    pub document: &'static str,
    /// The section in it.
    pub section: &'static str,
}

impl ObjectRule {
    /// The property called `name`.
    pub fn property(&self, name: &str) -> Option<&'static Property> {
        self.properties.iter().find(|p| p.name == name)
    }

    /// The property names, in schema order.
    pub fn property_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.properties.iter().map(|p| p.name)
    }
}

impl StringRule {
    /// Whether the string is limited to listed values.
    pub fn is_enum(&self) -> bool {
        !self.allowed.is_empty() || !self.warn_values.is_empty()
    }

    /// Whether the rule says nothing about the string's value.
    pub fn is_free(&self) -> bool {
        !self.is_enum() && self.fixed.is_none() && self.max_length.is_none()
    }
}

impl Rule {
    /// Whether the rule takes `null`.
    pub fn accepts_null(&self) -> bool {
        match self {
            Rule::Any | Rule::Null => true,
            Rule::OneOfType(alts) => alts.iter().any(Rule::accepts_null),
            _ => false,
        }
    }

    /// What the rule expects, in words (`an integer`, `a string or an array`).
    pub fn expected(&self) -> String {
        match self {
            Rule::Any => "any value".into(),
            Rule::Null => "null".into(),
            Rule::Boolean => "a boolean".into(),
            Rule::Integer(_) => "an integer".into(),
            Rule::Number(_) => "a number".into(),
            Rule::String(_) => "a string".into(),
            Rule::Array(_) => "an array".into(),
            Rule::Object(_) | Rule::Tagged(_) => "an object".into(),
            Rule::OneOfType(alts) => alts
                .iter()
                .map(Rule::expected)
                .collect::<Vec<_>>()
                .join(" or "),
        }
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}, {}", self.document, self.section)
    }
}
