//! The constraint tree: what a request body must look like, for one model on one endpoint.
//!
//! It is built in two steps: [`lower`] turns the endpoint's OpenAPI request schema (the
//! public format the endpoint follows, or the gateway's own shape) into a tree of
//! [`Node`]s with the format's types, enums, ranges, required fields and nullability,
//! every property marked [`Basis::Format`]; then [`apply_constraint`] layers a model's
//! documented facts on top (ranges, enums, fixed values, lengths, defaults), which win over
//! the format's, and marks what the gateway documents [`Basis::Documented`]. The same tree
//! is emitted as the Rust rule tables the validator walks and as the model's JSON Schema,
//! so the two agree by construction.

use serde_json::Value;

use crate::spec_file::{Constraint, SourceRef};

/// What a check rests on: a gateway's documentation, or only the public request format
/// the endpoint follows (catalog note `knowledge-levels`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    /// The gateway documents it for the model (or the property sits inside something the
    /// gateway documents). Breaking its limits is an error; its presence is unremarkable.
    Documented,
    /// Only the public format has it. Its types and limits are the format's, and its
    /// presence is reported as `undocumented_parameter`.
    Format,
}

/// One node of a constraint tree.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// Any JSON value.
    Any,
    /// `null`.
    Null,
    /// `true` or `false`.
    Boolean,
    /// A whole number (JSON Schema `integer`: 2 and 2.0 both are).
    Integer {
        /// Inclusive lower bound.
        minimum: Option<i64>,
        /// Inclusive upper bound.
        maximum: Option<i64>,
    },
    /// Any number.
    Number {
        /// Inclusive lower bound.
        minimum: Option<f64>,
        /// Inclusive upper bound.
        maximum: Option<f64>,
    },
    /// A string.
    String(StringNode),
    /// An array.
    Array(ArrayNode),
    /// An object.
    Object(ObjectNode),
    /// One of several alternatives that differ in JSON type (e.g. string or array).
    OneOfType(Vec<Node>),
    /// Objects told apart by the string value of a tag property (`type`).
    Tagged(TaggedNode),
}

/// Constraints on a string.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StringNode {
    /// Allowed values; empty (with `warn_values` empty too) means any.
    pub allowed: Vec<String>,
    /// Values accepted with an `undocumented_value` warning: the format has them, the
    /// gateway's (non-exhaustive) list does not.
    pub warn_values: Vec<String>,
    /// The only value accepted (a fixed image size, the model's own ID).
    pub fixed: Option<String>,
    /// Maximum length in characters (Unicode scalar values, as JSON Schema counts).
    pub max_length: Option<u64>,
}

impl StringNode {
    /// Whether the string is limited to listed values.
    pub fn is_enum(&self) -> bool {
        !self.allowed.is_empty() || !self.warn_values.is_empty()
    }

    /// Every value accepted: the allowed ones, then those accepted with a warning.
    pub fn all_values(&self) -> impl Iterator<Item = &String> {
        self.allowed.iter().chain(&self.warn_values)
    }
}

/// An array and its limits.
#[derive(Clone, Debug, PartialEq)]
pub struct ArrayNode {
    /// What every item must be.
    pub items: Box<Node>,
    /// Fewest items.
    pub min_items: Option<u64>,
    /// Most items.
    pub max_items: Option<u64>,
}

/// What an object says about members it does not list.
#[derive(Clone, Debug, PartialEq)]
pub enum Additional {
    /// Not allowed: an unknown member is an error (with a did-you-mean).
    Forbidden,
    /// Allowed, whatever they hold (free-form objects such as a JSON Schema).
    Any,
    /// Allowed, each value matching the node (a map such as `metadata`).
    Rule(Box<Node>),
}

/// An object's properties.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectNode {
    /// Known properties, in the order the schema lists them.
    pub properties: Vec<Property>,
    /// Members it does not list.
    pub additional: Additional,
    /// The OpenAPI schema it came from (`ChatMessage`), to name generated items.
    pub origin: Option<String>,
}

impl Default for ObjectNode {
    fn default() -> Self {
        ObjectNode {
            properties: Vec::new(),
            additional: Additional::Any,
            origin: None,
        }
    }
}

/// One property of an object.
#[derive(Clone, Debug, PartialEq)]
pub struct Property {
    /// Its key.
    pub name: String,
    /// What its value must be.
    pub node: Node,
    /// Whether it must be present.
    pub required: bool,
    /// Whether the gateway documents it or only the format has it.
    pub basis: Basis,
    /// Whether the format marks it deprecated.
    pub deprecated: bool,
    /// What it is.
    pub description: Option<String>,
    /// The value used when it is absent.
    pub default: Option<Value>,
    /// Where its facts come from: the model's documentation for a documented property,
    /// the format's reference for the others.
    pub source: Option<SourceRef>,
}

/// A union of object shapes selected by a tag property.
#[derive(Clone, Debug, PartialEq)]
pub struct TaggedNode {
    /// The property whose value selects the variant.
    pub tag: String,
    /// The variants, in schema order.
    pub variants: Vec<Variant>,
    /// The variant used when the tag is absent or null (Anthropic's custom tools, whose
    /// `type` is optional).
    pub default: Option<usize>,
}

/// One shape of a tagged union.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// The tag value that selects it.
    pub value: String,
    /// The shape (which includes the tag property itself).
    pub object: ObjectNode,
    /// Accepted with an `undocumented_value` warning: the format has it, the gateway's
    /// (non-exhaustive) list of tag values does not.
    pub warn: bool,
}

impl ObjectNode {
    /// The property called `name`.
    pub fn property(&self, name: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.name == name)
    }

    fn property_mut(&mut self, name: &str) -> Option<&mut Property> {
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
            p.basis = Basis::Documented;
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
        self.variants.iter().find(|v| v.value == value)
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
            Node::Integer { .. } => "integer",
            Node::Number { .. } => "number",
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
            (Node::Integer { minimum, maximum }, Value::Number(n)) => {
                let whole =
                    n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0);
                let f = n.as_f64().unwrap_or(f64::NAN);
                whole
                    && minimum.is_none_or(|m| f >= m as f64)
                    && maximum.is_none_or(|m| f <= m as f64)
            }
            (Node::Number { minimum, maximum }, Value::Number(n)) => {
                let f = n.as_f64().unwrap_or(f64::NAN);
                minimum.is_none_or(|m| f >= m) && maximum.is_none_or(|m| f <= m)
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

/// Turns an OpenAPI 3.0 schema (JSON) into a constraint tree. `doc` is the whole
/// (bundled) OpenAPI document, for resolving `#/...` references. Errors name the
/// schema's JSON path in the document and say what is not supported.
///
/// A property of a format schema (one that names its source in `x-modelgate-source`, or
/// inherits it from the enclosing schema) comes out [`Basis::Format`] with that source;
/// a property of the gateway's own schemas (no source) is [`Basis::Documented`]. Objects
/// that list properties refuse others unless they say `additionalProperties: true`.
pub fn lower(doc: &Value, schema: &Value, at: &str) -> Result<Node, String> {
    lower_at(doc, schema, at, None, 0)
}

/// The `x-modelgate-source` of a schema, if it has one.
pub fn source_of(schema: &Value) -> Result<Option<SourceRef>, String> {
    match schema.get("x-modelgate-source") {
        None => Ok(None),
        Some(v) => serde_json::from_value(v.clone())
            .map(Some)
            .map_err(|e| format!("`x-modelgate-source` must be {{doc, section}}: {e}")),
    }
}

fn lower_at(
    doc: &Value,
    schema: &Value,
    at: &str,
    inherited: Option<&SourceRef>,
    depth: usize,
) -> Result<Node, String> {
    if depth > 64 {
        return Err(format!(
            "{at}: the schema is recursive or nested too deeply"
        ));
    }
    let obj = schema
        .as_object()
        .ok_or_else(|| format!("{at}: a schema must be a mapping"))?;
    let own = source_of(schema).map_err(|e| format!("{at}: {e}"))?;
    let source = own.as_ref().or(inherited);
    if let Some(reference) = obj.get("$ref") {
        let target = resolve_ref(doc, reference)
            .ok_or_else(|| format!("{at}: `$ref` {reference} does not resolve"))?;
        let name = reference
            .as_str()
            .unwrap_or_default()
            .trim_start_matches('#');
        let mut node = lower_at(doc, target, name, source, depth + 1)?;
        let short = name.rsplit('/').next().unwrap_or(name);
        match &mut node {
            Node::Object(o) => {
                o.origin.get_or_insert_with(|| short.to_string());
            }
            Node::OneOfType(alts) => {
                for alt in alts {
                    if let Node::Object(o) = alt {
                        o.origin.get_or_insert_with(|| short.to_string());
                    }
                }
            }
            _ => {}
        }
        return Ok(node);
    }
    for unsupported in ["allOf", "anyOf", "not"] {
        if obj.contains_key(unsupported) {
            return Err(format!(
                "{at}: `{unsupported}` is not supported in request schemas (use `oneOf` of types, or a discriminated `oneOf`)"
            ));
        }
    }
    let node = if let Some(alternatives) = obj.get("oneOf") {
        lower_one_of(doc, obj, alternatives, at, source, depth)?
    } else {
        lower_typed(doc, obj, at, source, depth)?
    };
    let nullable = obj
        .get("nullable")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    Ok(match node {
        Node::Any => Node::Any,
        node if !nullable => node,
        Node::OneOfType(mut alts) => {
            alts.insert(0, Node::Null);
            Node::OneOfType(alts)
        }
        node => Node::OneOfType(vec![Node::Null, node]),
    })
}

fn lower_typed(
    doc: &Value,
    obj: &serde_json::Map<String, Value>,
    at: &str,
    source: Option<&SourceRef>,
    depth: usize,
) -> Result<Node, String> {
    let open_enum = obj.get("x-modelgate-open-enum").and_then(Value::as_bool) == Some(true);
    let number = |key: &str| obj.get(key).and_then(Value::as_f64);
    Ok(match obj.get("type").and_then(Value::as_str) {
        None => {
            if obj.contains_key("properties")
                || obj.contains_key("items")
                || obj.contains_key("enum")
            {
                return Err(format!(
                    "{at}: a schema with properties, items or enum needs a `type`"
                ));
            }
            Node::Any
        }
        Some("boolean") => Node::Boolean,
        Some("integer") => Node::Integer {
            minimum: number("minimum").map(|f| f as i64),
            maximum: number("maximum").map(|f| f as i64),
        },
        Some("number") => Node::Number {
            minimum: number("minimum"),
            maximum: number("maximum"),
        },
        Some("string") => lower_string(obj, at, open_enum)?,
        Some("array") => {
            let items = match obj.get("items") {
                Some(items) => lower_at(doc, items, &format!("{at}/items"), source, depth + 1)?,
                None => Node::Any,
            };
            Node::Array(ArrayNode {
                items: Box::new(items),
                min_items: obj.get("minItems").and_then(Value::as_u64),
                max_items: obj.get("maxItems").and_then(Value::as_u64),
            })
        }
        Some("object") => Node::Object(lower_object(doc, obj, at, source, depth)?),
        Some(other) => return Err(format!("{at}: unknown type `{other}`")),
    })
}

fn lower_string(
    obj: &serde_json::Map<String, Value>,
    at: &str,
    open_enum: bool,
) -> Result<Node, String> {
    let values = match obj.get("enum") {
        Some(values) if !open_enum => string_list(values)
            .ok_or_else(|| format!("{at}: `enum` of a string must list strings"))?,
        _ => Vec::new(),
    };
    let warn_values = match obj.get("x-modelgate-warn-values") {
        Some(v) => string_list(v)
            .ok_or_else(|| format!("{at}: `x-modelgate-warn-values` must list strings"))?,
        None => Vec::new(),
    };
    if let Some(stray) = warn_values.iter().find(|w| !values.contains(w)) {
        return Err(format!(
            "{at}: `x-modelgate-warn-values` lists `{stray}`, which is not in the `enum`"
        ));
    }
    Ok(Node::String(StringNode {
        allowed: values
            .into_iter()
            .filter(|v| !warn_values.contains(v))
            .collect(),
        warn_values,
        fixed: None,
        max_length: obj.get("maxLength").and_then(Value::as_u64),
    }))
}

fn lower_object(
    doc: &Value,
    obj: &serde_json::Map<String, Value>,
    at: &str,
    source: Option<&SourceRef>,
    depth: usize,
) -> Result<ObjectNode, String> {
    let required: Vec<String> = match obj.get("required") {
        Some(v) => string_list(v).ok_or_else(|| format!("{at}: `required` must list strings"))?,
        None => Vec::new(),
    };
    let mut properties = Vec::new();
    if let Some(props) = obj.get("properties").and_then(Value::as_object) {
        for (name, schema) in props {
            let node = lower_at(
                doc,
                schema,
                &format!("{at}/properties/{name}"),
                source,
                depth + 1,
            )?;
            properties.push(Property {
                name: name.clone(),
                node,
                required: required.contains(name),
                // A property of a format schema (one with a source) is the format's; one
                // of the gateway's own schemas is documented by being there.
                basis: if source.is_some() {
                    Basis::Format
                } else {
                    Basis::Documented
                },
                deprecated: is_deprecated(doc, schema),
                description: description_of(doc, schema),
                default: None,
                source: source.cloned(),
            });
        }
    }
    if let Some(missing) = required
        .iter()
        .find(|r| !properties.iter().any(|p| &p.name == *r))
    {
        return Err(format!(
            "{at}: required property `{missing}` is not among the properties"
        ));
    }
    // An object that lists its members refuses others unless it says otherwise; one that
    // lists none is free-form.
    let additional = match obj.get("additionalProperties") {
        Some(Value::Bool(false)) => Additional::Forbidden,
        Some(Value::Bool(true)) => Additional::Any,
        Some(schema @ Value::Object(_)) => Additional::Rule(Box::new(lower_at(
            doc,
            schema,
            &format!("{at}/additionalProperties"),
            source,
            depth + 1,
        )?)),
        Some(_) => {
            return Err(format!(
                "{at}: `additionalProperties` must be a boolean or a schema"
            ));
        }
        None if properties.is_empty() => Additional::Any,
        None => Additional::Forbidden,
    };
    Ok(ObjectNode {
        properties,
        additional,
        origin: None,
    })
}

fn lower_one_of(
    doc: &Value,
    obj: &serde_json::Map<String, Value>,
    alternatives: &Value,
    at: &str,
    source: Option<&SourceRef>,
    depth: usize,
) -> Result<Node, String> {
    let list = alternatives
        .as_array()
        .ok_or_else(|| format!("{at}: `oneOf` must be a list"))?;
    let lowered = list
        .iter()
        .enumerate()
        .map(|(i, s)| lower_at(doc, s, &format!("{at}/oneOf/{i}"), source, depth + 1))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(tag) = obj
        .get("discriminator")
        .and_then(|d| d.get("propertyName"))
        .and_then(Value::as_str)
    {
        return lower_tagged(obj, lowered, tag, at);
    }
    let mut seen = Vec::new();
    for node in &lowered {
        let class = match node.json_type() {
            Some("integer") => "number",
            Some(t) => t,
            None => return Err(format!("{at}: `oneOf` alternatives must each have a type")),
        };
        if seen.contains(&class) {
            return Err(format!(
                "{at}: two `oneOf` alternatives are both of JSON type {class}; alternatives must differ in type (or use a discriminator)"
            ));
        }
        seen.push(class);
    }
    Ok(Node::OneOfType(lowered))
}

fn lower_tagged(
    obj: &serde_json::Map<String, Value>,
    lowered: Vec<Node>,
    tag: &str,
    at: &str,
) -> Result<Node, String> {
    let default_value = obj
        .get("x-modelgate-default-variant")
        .and_then(Value::as_str);
    let mut variants = Vec::new();
    for node in lowered {
        let Node::Object(o) = node else {
            return Err(format!(
                "{at}: every alternative of a discriminated `oneOf` must be an object"
            ));
        };
        let tag_property = o.property(tag);
        let tag_node = tag_property.map(|p| match &p.node {
            Node::OneOfType(alts) => alts.iter().find(|a| matches!(a, Node::String(_))),
            n => Some(n),
        });
        let value = match tag_node.flatten() {
            Some(Node::String(s)) if s.allowed.len() == 1 => s.allowed[0].clone(),
            _ => {
                return Err(format!(
                    "{at}: each alternative needs a `{tag}` property with exactly one enum value"
                ));
            }
        };
        let optional = tag_property.is_some_and(|p| !p.required);
        if optional && default_value != Some(value.as_str()) {
            return Err(format!(
                "{at}: the `{tag}` of alternative `{value}` must be required (only the `x-modelgate-default-variant` may omit it)"
            ));
        }
        variants.push(Variant {
            value,
            object: o,
            warn: false,
        });
    }
    let default = match default_value {
        None => None,
        Some(d) => Some(variants.iter().position(|v| v.value == d).ok_or_else(|| {
            format!("{at}: `x-modelgate-default-variant` `{d}` is not one of the alternatives")
        })?),
    };
    Ok(Node::Tagged(TaggedNode {
        tag: tag.to_string(),
        variants,
        default,
    }))
}

fn resolve_ref<'a>(doc: &'a Value, reference: &Value) -> Option<&'a Value> {
    doc.pointer(reference.as_str()?.strip_prefix('#')?)
}

/// The schema itself, or the one its `$ref` names.
fn resolved<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    schema
        .get("$ref")
        .and_then(|r| resolve_ref(doc, r))
        .unwrap_or(schema)
}

fn is_deprecated(doc: &Value, schema: &Value) -> bool {
    [schema, resolved(doc, schema)]
        .iter()
        .any(|s| s.get("deprecated").and_then(Value::as_bool) == Some(true))
}

fn description_of(doc: &Value, schema: &Value) -> Option<String> {
    let own = schema.get("description").and_then(Value::as_str);
    let referenced = || {
        resolved(doc, schema)
            .get("description")
            .and_then(Value::as_str)
    };
    own.or_else(referenced)
        .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn string_list(v: &Value) -> Option<Vec<String>> {
    v.as_array()?
        .iter()
        .map(|s| s.as_str().map(str::to_string))
        .collect()
}

/// The properties at `path` (`a/*/b`) below `object`: descending through arrays (`*`),
/// through the array or object alternatives of a type union, and into every variant of a
/// tagged union that has the next name. `visit` is called on each property found, with
/// the path walked to it (`a/*/`); documenting a path documents every property on it.
/// A tagged union's tag (`messages/*/role`) is reached as [`Target::Tag`].
fn walk_path(
    object: &mut ObjectNode,
    segments: &[&str],
    walked: &str,
    visit: &mut dyn FnMut(Target) -> Result<(), String>,
) -> Result<(), String> {
    let (name, rest) = segments.split_first().ok_or("empty parameter path")?;
    let names = object.property_names().join(", ");
    let prop = object
        .property_mut(name)
        .ok_or_else(|| format!("`{walked}{name}` does not exist (known here: {names})"))?;
    if rest.is_empty() {
        return visit(Target::Property(prop));
    }
    prop.basis = Basis::Documented;
    walk_node(&mut prop.node, rest, &format!("{walked}{name}/"), visit)
}

/// Where a path ends.
enum Target<'a> {
    /// A property.
    Property(&'a mut Property),
    /// The tag of a tagged union.
    Tag(&'a mut TaggedNode),
}

fn walk_node(
    node: &mut Node,
    segments: &[&str],
    walked: &str,
    visit: &mut dyn FnMut(Target) -> Result<(), String>,
) -> Result<(), String> {
    let star = segments.first() == Some(&"*");
    match node {
        Node::Array(a) if star => {
            walk_node(&mut a.items, &segments[1..], &format!("{walked}*/"), visit)
        }
        Node::Object(o) if !star => walk_path(o, segments, walked, visit),
        Node::Tagged(t) if !star && segments == [t.tag.as_str()] => visit(Target::Tag(t)),
        Node::Tagged(t) if !star => {
            let mut found = 0;
            let mut last_error = None;
            for v in &mut t.variants {
                if v.object.property(segments[0]).is_none() {
                    continue;
                }
                match walk_path(&mut v.object, segments, walked, visit) {
                    Ok(()) => found += 1,
                    Err(e) => last_error = Some(e),
                }
            }
            match (found, last_error) {
                (_, Some(e)) => Err(e),
                (0, None) => Err(format!(
                    "`{walked}{}` does not exist in any variant (`{}`: {})",
                    segments[0],
                    t.tag,
                    t.values().join(", ")
                )),
                _ => Ok(()),
            }
        }
        Node::OneOfType(alts) => {
            let fits = |a: &Node| match a {
                Node::Array(_) => star,
                Node::Object(_) | Node::Tagged(_) => !star,
                _ => false,
            };
            match alts.iter_mut().find(|a| fits(a)) {
                Some(alt) => walk_node(alt, segments, walked, visit),
                None => Err(not_there(walked, star)),
            }
        }
        _ => Err(not_there(walked, star)),
    }
}

fn not_there(walked: &str, star: bool) -> String {
    if star {
        format!("`{walked}*`: `*` used on something that is not an array")
    } else {
        format!("`{}` is not an object", walked.trim_end_matches('/'))
    }
}

/// Finds the property at `path` (`a/*/b`) below `root`, descending through arrays (`*`)
/// and through the array or object alternative of a type union. Tagged unions are not
/// descended (a path into one names a property of several variants).
pub fn find_property_mut<'a>(
    root: &'a mut ObjectNode,
    path: &str,
) -> Result<&'a mut Property, String> {
    let segments: Vec<&str> = path.split('/').collect();
    let (last, parents) = segments.split_last().ok_or("empty parameter path")?;
    let mut object = root;
    let mut walked = String::new();
    let mut rest = parents.iter().peekable();
    while let Some(seg) = rest.next() {
        let names = object.property_names().join(", ");
        let prop = object
            .property_mut(seg)
            .ok_or_else(|| format!("`{walked}{seg}` does not exist (known here: {names})"))?;
        walked.push_str(seg);
        walked.push('/');
        let mut node = &mut prop.node;
        while rest.peek() == Some(&&"*") {
            rest.next();
            walked.push_str("*/");
            node = array_items(node)
                .ok_or_else(|| format!("`{walked}`: `*` used on something that is not an array"))?;
        }
        object = object_of(node).ok_or_else(|| format!("`{walked}` is not an object"))?;
    }
    let names = object.property_names().join(", ");
    object
        .property_mut(last)
        .ok_or_else(|| format!("`{walked}{last}` does not exist (known here: {names})"))
}

/// The object at a body pointer like `/input/*/params` (the media envelope's parameters).
pub fn object_at_mut<'a>(
    root: &'a mut ObjectNode,
    pointer: &str,
) -> Result<&'a mut ObjectNode, String> {
    let prop = find_property_mut(root, pointer.trim_start_matches('/'))?;
    match &mut prop.node {
        Node::Object(o) => Ok(o),
        _ => Err(format!(
            "`{pointer}` is not an object in the request schema"
        )),
    }
}

fn array_items(node: &mut Node) -> Option<&mut Node> {
    match node {
        Node::Array(a) => Some(&mut a.items),
        Node::OneOfType(alts) => alts.iter_mut().find_map(|a| match a {
            Node::Array(a) => Some(a.items.as_mut()),
            _ => None,
        }),
        _ => None,
    }
}

fn object_of(node: &mut Node) -> Option<&mut ObjectNode> {
    match node {
        Node::Object(o) => Some(o),
        Node::OneOfType(alts) => alts.iter_mut().find_map(|a| match a {
            Node::Object(o) => Some(o),
            _ => None,
        }),
        _ => None,
    }
}

/// Where a constraint's value lands inside a (possibly union) node.
fn scalar_mut<'a>(node: &'a mut Node, want: &str) -> Option<&'a mut Node> {
    let fits = |n: &Node| match want {
        "number" => matches!(n, Node::Integer { .. } | Node::Number { .. }),
        _ => matches!(n, Node::String(_)),
    };
    match node {
        Node::OneOfType(alts) => alts.iter_mut().find(|a| fits(a)),
        n if fits(n) => Some(n),
        _ => None,
    }
}

/// Layers a model's documented constraint on the property (or tag) at `path`: the
/// property, everything on the way to it and everything below it become documented, and
/// the constraint's limits replace the format's. Errors say what is wrong with the
/// constraint (the caller adds file, model and field).
pub fn apply_constraint(
    root: &mut ObjectNode,
    path: &str,
    c: &Constraint,
    source: &SourceRef,
) -> Result<(), String> {
    let segments: Vec<&str> = path.split('/').collect();
    walk_path(root, &segments, "", &mut |target| match target {
        Target::Property(prop) => apply_to_property(prop, c, source),
        Target::Tag(t) => apply_to_tag(t, c, source),
    })
}

fn apply_to_property(
    prop: &mut Property,
    c: &Constraint,
    source: &SourceRef,
) -> Result<(), String> {
    prop.basis = Basis::Documented;
    prop.node.mark_documented();
    if c.required == Some(true) {
        prop.required = true;
    }
    if c.required == Some(false) && prop.required {
        return Err("the endpoint's schema requires it; a model cannot make it optional".into());
    }
    if c.minimum.is_some() || c.maximum.is_some() {
        apply_range(&mut prop.node, c.minimum, c.maximum)?;
    }
    if c.allowed.is_some() || c.fixed.is_some() || c.max_length.is_some() {
        apply_string(&mut prop.node, c)?;
    }
    if c.exhaustive.is_some() && c.allowed.is_none() {
        return Err("`exhaustive` qualifies an `enum`; give the enum".into());
    }
    if let Some(default) = &c.default {
        if !prop.node.accepts(default) {
            return Err(format!(
                "default {default} does not satisfy the parameter's own constraints"
            ));
        }
        prop.default = Some(default.clone());
    }
    if let Some(d) = &c.description {
        prop.description = Some(d.clone());
    }
    prop.source = Some(c.source.clone().unwrap_or_else(|| source.clone()));
    Ok(())
}

/// An `enum` on a tagged union's tag chooses among its variants: those listed stay; the
/// others go (an exhaustive list) or stay with a warning (`exhaustive: false`).
fn apply_to_tag(t: &mut TaggedNode, c: &Constraint, source: &SourceRef) -> Result<(), String> {
    let other = c.minimum.is_some()
        || c.maximum.is_some()
        || c.fixed.is_some()
        || c.max_length.is_some()
        || c.default.is_some();
    if other {
        return Err(format!(
            "`{}` selects a variant; only `enum` (and `exhaustive`) apply to it",
            t.tag
        ));
    }
    let Some(allowed) = &c.allowed else {
        return Ok(());
    };
    if allowed.is_empty() {
        return Err("enum must list at least one value".into());
    }
    if let Some(bad) = allowed.iter().find(|v| t.variant(v).is_none()) {
        return Err(format!(
            "enum value `{bad}` has no shape in the format (`{}`: {})",
            t.tag,
            t.values().join(", ")
        ));
    }
    let exhaustive = c.exhaustive.unwrap_or(true);
    let default_value = t.default.map(|i| t.variants[i].value.clone());
    for v in &mut t.variants {
        v.warn = !allowed.contains(&v.value);
    }
    if exhaustive {
        t.variants.retain(|v| !v.warn);
    }
    t.default = default_value.and_then(|d| t.variants.iter().position(|v| v.value == d));
    let source = c.source.clone().unwrap_or_else(|| source.clone());
    for v in &mut t.variants {
        if let Some(p) = v.object.property_mut(&t.tag) {
            p.basis = Basis::Documented;
            p.source = Some(source.clone());
        }
    }
    Ok(())
}

fn apply_range(node: &mut Node, min: Option<f64>, max: Option<f64>) -> Result<(), String> {
    if let (Some(lo), Some(hi)) = (min, max)
        && lo > hi
    {
        return Err(format!("minimum {lo} is greater than maximum {hi}"));
    }
    // A documented bound replaces the format's; a bound not documented stays the format's.
    match scalar_mut(node, "number") {
        Some(Node::Integer { minimum, maximum }) => {
            for bound in [min, max].into_iter().flatten() {
                if bound.fract() != 0.0 {
                    return Err(format!(
                        "bound {bound} is not a whole number, but the parameter is an integer"
                    ));
                }
            }
            *minimum = min.map(|f| f as i64).or(*minimum);
            *maximum = max.map(|f| f as i64).or(*maximum);
            Ok(())
        }
        Some(Node::Number { minimum, maximum }) => {
            *minimum = min.or(*minimum);
            *maximum = max.or(*maximum);
            Ok(())
        }
        _ => Err("minimum/maximum given for a parameter that is not a number".into()),
    }
}

fn apply_string(node: &mut Node, c: &Constraint) -> Result<(), String> {
    let Some(Node::String(s)) = scalar_mut(node, "string") else {
        return Err("enum, fixed or max_length given for a parameter that is not a string".into());
    };
    if let Some(allowed) = &c.allowed {
        if allowed.is_empty() {
            return Err("enum must list at least one value".into());
        }
        // The documented list wins. With `exhaustive: false` the format's other values
        // stay, accepted with a warning.
        let format_values: Vec<String> = s.all_values().cloned().collect();
        s.warn_values = match c.exhaustive {
            Some(false) => format_values
                .into_iter()
                .filter(|v| !allowed.contains(v))
                .collect(),
            _ => Vec::new(),
        };
        s.allowed = allowed.clone();
    }
    if let Some(fixed) = &c.fixed {
        if s.is_enum() && !s.all_values().any(|v| v == fixed) {
            return Err(format!(
                "fixed value `{fixed}` is not among the allowed values ({})",
                s.allowed.join(", ")
            ));
        }
        s.fixed = Some(fixed.clone());
    }
    if let Some(max) = c.max_length {
        if max == 0 {
            return Err("max_length must be at least 1".into());
        }
        s.max_length = Some(max);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({"components": {"schemas": {
            "Req": {"type": "object", "required": ["model"],
                "x-modelgate-source": {"doc": "format-reference", "section": "A"},
                "properties": {
                "model": {"type": "string"},
                "max_tokens": {"type": "integer", "nullable": true},
                "temperature": {"type": "number", "minimum": 0, "maximum": 2},
                "stop": {"nullable": true, "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
                "effort": {"type": "string", "enum": ["low", "medium", "high"]},
                "messages": {"type": "array", "items": {"$ref": "#/components/schemas/Msg"}}
            }},
            "Msg": {"oneOf": [{"$ref": "#/components/schemas/User"}, {"$ref": "#/components/schemas/Tool"}],
                    "discriminator": {"propertyName": "role"}},
            "User": {"type": "object", "required": ["role", "content"], "properties": {
                "role": {"type": "string", "enum": ["user"]}, "content": {"type": "string"}, "name": {"type": "string"}}},
            "Tool": {"type": "object", "required": ["role", "content", "tool_call_id"], "properties": {
                "role": {"type": "string", "enum": ["tool"]}, "content": {"type": "string"}, "tool_call_id": {"type": "string"}}}
        }}})
    }

    fn root() -> ObjectNode {
        let d = doc();
        match lower(&d, &json!({"$ref": "#/components/schemas/Req"}), "Req").unwrap() {
            Node::Object(o) => o,
            other => panic!("{other:?}"),
        }
    }

    fn src() -> SourceRef {
        SourceRef {
            doc: "seed-000".into(),
            section: "x".into(),
        }
    }

    fn messages_union(r: &ObjectNode) -> &TaggedNode {
        match &r.property("messages").unwrap().node {
            Node::Array(a) => match a.items.as_ref() {
                Node::Tagged(t) => t,
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn lowering_marks_everything_format_with_the_inherited_source_and_closes_objects() {
        let r = root();
        assert!(r.properties.iter().all(|p| p.basis == Basis::Format));
        assert_eq!(
            r.property("temperature").unwrap().source,
            Some(SourceRef {
                doc: "format-reference".into(),
                section: "A".into()
            })
        );
        assert_eq!(r.additional, Additional::Forbidden);
        // nullable on a union adds null to the union, not a union of unions
        match &r.property("stop").unwrap().node {
            Node::OneOfType(alts) => assert_eq!(alts.len(), 3),
            other => panic!("{other:?}"),
        }
        assert!(r.property("max_tokens").unwrap().node.accepts_null());
    }

    #[test]
    fn documented_ranges_replace_the_format_range_and_reject_inverted_bounds() {
        let mut r = root();
        let c = Constraint {
            minimum: Some(0.0),
            maximum: Some(1.0),
            ..Default::default()
        };
        apply_constraint(&mut r, "temperature", &c, &src()).unwrap();
        let p = r.property("temperature").unwrap();
        assert_eq!(
            p.node,
            Node::Number {
                minimum: Some(0.0),
                maximum: Some(1.0)
            }
        );
        assert_eq!(p.basis, Basis::Documented);
        let wider = Constraint {
            maximum: Some(3.0),
            ..Default::default()
        };
        apply_constraint(&mut r, "temperature", &wider, &src()).unwrap();
        assert!(r.property("temperature").unwrap().node.accepts(&json!(2.5)));
        let bad = Constraint {
            minimum: Some(5000.0),
            maximum: Some(4096.0),
            ..Default::default()
        };
        assert_eq!(
            apply_constraint(&mut r, "max_tokens", &bad, &src()).unwrap_err(),
            "minimum 5000 is greater than maximum 4096"
        );
    }

    #[test]
    fn documented_enums_win_and_a_non_exhaustive_one_keeps_the_format_values_as_warnings() {
        let mut r = root();
        let narrow = Constraint {
            allowed: Some(vec!["low".into()]),
            ..Default::default()
        };
        apply_constraint(&mut r, "effort", &narrow, &src()).unwrap();
        let Node::String(s) = &r.property("effort").unwrap().node else {
            panic!()
        };
        assert_eq!(
            (s.allowed.clone(), s.warn_values.len()),
            (vec!["low".into()], 0)
        );

        let mut r = root();
        let open = Constraint {
            allowed: Some(vec!["low".into(), "max".into()]),
            exhaustive: Some(false),
            ..Default::default()
        };
        apply_constraint(&mut r, "effort", &open, &src()).unwrap();
        let Node::String(s) = &r.property("effort").unwrap().node else {
            panic!()
        };
        assert_eq!(s.allowed, ["low", "max"]);
        assert_eq!(s.warn_values, ["medium", "high"]);
    }

    #[test]
    fn an_enum_on_a_tag_chooses_variants() {
        let exhaustive = Constraint {
            allowed: Some(vec!["user".into()]),
            ..Default::default()
        };
        let mut r = root();
        apply_constraint(&mut r, "messages/*/role", &exhaustive, &src()).unwrap();
        assert_eq!(messages_union(&r).values(), ["user"]);

        let open = Constraint {
            exhaustive: Some(false),
            ..exhaustive.clone()
        };
        let mut r = root();
        apply_constraint(&mut r, "messages/*/role", &open, &src()).unwrap();
        let t = messages_union(&r);
        assert_eq!(t.values(), ["user", "tool"]);
        assert!(!t.variants[0].warn && t.variants[1].warn);

        let unknown = Constraint {
            allowed: Some(vec!["robot".into()]),
            ..Default::default()
        };
        assert_eq!(
            apply_constraint(&mut root(), "messages/*/role", &unknown, &src()).unwrap_err(),
            "enum value `robot` has no shape in the format (`role`: user, tool)"
        );
    }

    #[test]
    fn documenting_a_parameter_documents_its_parts_and_the_way_to_it() {
        let mut r = root();
        apply_constraint(&mut r, "messages", &Constraint::default(), &src()).unwrap();
        let t = messages_union(&r);
        assert!(t.variants.iter().all(|v| {
            v.object
                .properties
                .iter()
                .all(|p| p.basis == Basis::Documented)
        }));

        let mut r = root();
        apply_constraint(&mut r, "messages/*/name", &Constraint::default(), &src()).unwrap();
        assert_eq!(r.property("messages").unwrap().basis, Basis::Documented);
        let user = &messages_union(&r).variants[0].object;
        assert_eq!(user.property("name").unwrap().basis, Basis::Documented);
        assert_eq!(user.property("content").unwrap().basis, Basis::Format);
        assert_eq!(r.property("stop").unwrap().basis, Basis::Format);
    }

    #[test]
    fn unknown_paths_list_what_exists() {
        let mut r = root();
        let err =
            apply_constraint(&mut r, "max_tokenz", &Constraint::default(), &src()).unwrap_err();
        assert_eq!(
            err,
            "`max_tokenz` does not exist (known here: effort, max_tokens, messages, model, stop, temperature)"
        );
        let err = apply_constraint(&mut r, "messages/*/nope", &Constraint::default(), &src())
            .unwrap_err();
        assert_eq!(
            err,
            "`messages/*/nope` does not exist in any variant (`role`: user, tool)"
        );
    }

    #[test]
    fn string_constraints_reach_the_string_side_of_a_union() {
        let mut r = root();
        let c = Constraint {
            max_length: Some(3),
            ..Default::default()
        };
        apply_constraint(&mut r, "stop", &c, &src()).unwrap();
        assert!(r.property("stop").unwrap().node.accepts(&json!("abc")));
        assert!(!r.property("stop").unwrap().node.accepts(&json!("abcd")));
    }

    #[test]
    fn defaults_must_satisfy_the_constraints() {
        let mut r = root();
        let c = Constraint {
            minimum: Some(0.0),
            maximum: Some(2.0),
            default: Some(json!(3.0)),
            ..Default::default()
        };
        let err = apply_constraint(&mut r, "temperature", &c, &src()).unwrap_err();
        assert_eq!(
            err,
            "default 3.0 does not satisfy the parameter's own constraints"
        );
    }

    #[test]
    fn a_default_variant_takes_objects_without_the_tag() {
        let d = json!({"components": {"schemas": {
            "T": {"oneOf": [{"$ref": "#/components/schemas/C"}, {"$ref": "#/components/schemas/S"}],
                  "discriminator": {"propertyName": "type"}, "x-modelgate-default-variant": "custom"},
            "C": {"type": "object", "required": ["name"], "properties": {
                "type": {"type": "string", "nullable": true, "enum": ["custom"]}, "name": {"type": "string"}}},
            "S": {"type": "object", "required": ["type"], "properties": {
                "type": {"type": "string", "enum": ["server"]}}}
        }}});
        let node = lower(&d, &json!({"$ref": "#/components/schemas/T"}), "T").unwrap();
        assert!(node.accepts(&json!({"name": "f"})));
        assert!(node.accepts(&json!({"type": null, "name": "f"})));
        assert!(node.accepts(&json!({"type": "server"})));
        assert!(!node.accepts(&json!({"type": "nope"})));
        let mut bad = d.clone();
        bad["components"]["schemas"]["T"]["x-modelgate-default-variant"] = json!("server");
        let err = lower(&bad, &json!({"$ref": "#/components/schemas/T"}), "T").unwrap_err();
        assert!(err.contains("`custom` must be required"), "{err}");
    }

    #[test]
    fn one_of_alternatives_must_differ_in_type() {
        let d = json!({});
        let s = json!({"oneOf": [{"type": "integer"}, {"type": "number"}]});
        let err = lower(&d, &s, "X").unwrap_err();
        assert!(err.contains("both of JSON type number"), "{err}");
    }

    #[test]
    fn dangling_references_are_reported() {
        let err = lower(
            &json!({}),
            &json!({"$ref": "#/components/schemas/Nope"}),
            "X",
        )
        .unwrap_err();
        assert_eq!(
            err,
            "X: `$ref` \"#/components/schemas/Nope\" does not resolve"
        );
    }
}
