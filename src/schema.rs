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
    /// An array whose items all match the rule.
    Array(&'static Rule),
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
    /// Allowed values; empty means any.
    pub allowed: &'static [&'static str],
    /// The only value the model takes (a fixed image size, the model's own ID).
    pub fixed: Option<&'static str>,
    /// Maximum length in characters (Unicode scalar values).
    pub max_length: Option<u64>,
}

/// An object's known properties.
#[derive(Debug, PartialEq)]
pub struct ObjectRule {
    /// The properties, in schema order.
    pub properties: &'static [Property],
    /// Whether other properties are allowed.
    pub additional: bool,
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
    /// Tag value and the shape it selects.
    pub variants: &'static [(&'static str, &'static ObjectRule)],
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

impl Rule {
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
