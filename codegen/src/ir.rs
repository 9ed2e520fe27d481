//! The constraint tree: what a request body must look like, for one model on one endpoint.
//!
//! It is built in two steps: [`lower`] turns the endpoint's OpenAPI request schema into a
//! tree of [`Node`]s (types, required fields, the endpoint's enums), then
//! [`apply_constraint`] narrows it with the model's catalog constraints (ranges, enums,
//! fixed values, lengths, defaults). The same tree is emitted as the Rust rule tables the
//! validator walks and as the model's JSON Schema, so the two agree by construction.

use serde_json::Value;

use crate::format::{Constraint, SourceRef};

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
    /// An array whose items all match the node.
    Array(Box<Node>),
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
    /// Allowed values; empty means any.
    pub allowed: Vec<String>,
    /// The only value accepted (a fixed image size, the model's own ID).
    pub fixed: Option<String>,
    /// Maximum length in characters (Unicode scalar values, as JSON Schema counts).
    pub max_length: Option<u64>,
}

/// An object's properties.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ObjectNode {
    /// Known properties, in the order the schema lists them.
    pub properties: Vec<Property>,
    /// Whether properties not listed are allowed.
    pub additional: bool,
    /// The OpenAPI schema it came from (`ChatMessage`), to name generated items.
    pub origin: Option<String>,
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
    /// What it is.
    pub description: Option<String>,
    /// The value used when it is absent.
    pub default: Option<Value>,
    /// Where the model's constraints on it come from.
    pub source: Option<SourceRef>,
}

/// A union of object shapes selected by a tag property.
#[derive(Clone, Debug, PartialEq)]
pub struct TaggedNode {
    /// The property whose value selects the variant.
    pub tag: String,
    /// Tag value -> the variant's shape (which includes the tag property itself).
    pub variants: Vec<(String, ObjectNode)>,
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

    /// Whether `value` satisfies this node (used to check catalog defaults).
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
                (s.allowed.is_empty() || s.allowed.contains(v))
                    && s.fixed.as_ref().is_none_or(|f| f == v)
                    && s.max_length.is_none_or(|m| v.chars().count() as u64 <= m)
            }
            (Node::Array(items), Value::Array(values)) => values.iter().all(|v| items.accepts(v)),
            (Node::Object(o), Value::Object(map)) => object_accepts(o, map),
            (Node::OneOfType(alts), v) => alts.iter().any(|a| a.accepts(v)),
            (Node::Tagged(t), Value::Object(map)) => {
                let tag = map.get(&t.tag).and_then(Value::as_str);
                t.variants
                    .iter()
                    .any(|(name, o)| Some(name.as_str()) == tag && object_accepts(o, map))
            }
            _ => false,
        }
    }
}

fn object_accepts(o: &ObjectNode, map: &serde_json::Map<String, Value>) -> bool {
    o.properties.iter().all(|p| match map.get(&p.name) {
        Some(v) => p.node.accepts(v),
        None => !p.required,
    }) && (o.additional || map.keys().all(|k| o.property(k).is_some()))
}

/// Turns an OpenAPI 3.0 schema (JSON) into a constraint tree. `doc` is the whole
/// (bundled) OpenAPI document, for resolving `#/...` references. Errors name the
/// schema's JSON path in the document and say what is not supported.
pub fn lower(doc: &Value, schema: &Value, at: &str) -> Result<Node, String> {
    lower_at(doc, schema, at, 0)
}

fn lower_at(doc: &Value, schema: &Value, at: &str, depth: usize) -> Result<Node, String> {
    if depth > 64 {
        return Err(format!(
            "{at}: the schema is recursive or nested too deeply"
        ));
    }
    let obj = schema
        .as_object()
        .ok_or_else(|| format!("{at}: a schema must be a mapping"))?;
    if let Some(reference) = obj.get("$ref") {
        let target = resolve_ref(doc, reference)
            .ok_or_else(|| format!("{at}: `$ref` {reference} does not resolve"))?;
        let name = reference
            .as_str()
            .unwrap_or_default()
            .trim_start_matches('#');
        let mut node = lower_at(doc, target, name, depth + 1)?;
        if let Node::Object(o) = &mut node {
            let short = name.rsplit('/').next().unwrap_or(name);
            o.origin.get_or_insert_with(|| short.to_string());
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
        lower_one_of(doc, obj, alternatives, at, depth)?
    } else {
        lower_typed(doc, obj, at, depth)?
    };
    let nullable = obj
        .get("nullable")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    Ok(match node {
        Node::Any => Node::Any,
        node if nullable => Node::OneOfType(vec![Node::Null, node]),
        node => node,
    })
}

fn lower_typed(
    doc: &Value,
    obj: &serde_json::Map<String, Value>,
    at: &str,
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
        Some("string") => {
            let allowed = match obj.get("enum") {
                Some(values) if !open_enum => string_list(values)
                    .ok_or_else(|| format!("{at}: `enum` of a string must list strings"))?,
                _ => Vec::new(),
            };
            Node::String(StringNode {
                allowed,
                fixed: None,
                max_length: obj.get("maxLength").and_then(Value::as_u64),
            })
        }
        Some("array") => {
            let items = match obj.get("items") {
                Some(items) => lower_at(doc, items, &format!("{at}/items"), depth + 1)?,
                None => Node::Any,
            };
            Node::Array(Box::new(items))
        }
        Some("object") => Node::Object(lower_object(doc, obj, at, depth)?),
        Some(other) => return Err(format!("{at}: unknown type `{other}`")),
    })
}

fn lower_object(
    doc: &Value,
    obj: &serde_json::Map<String, Value>,
    at: &str,
    depth: usize,
) -> Result<ObjectNode, String> {
    let required: Vec<String> = match obj.get("required") {
        Some(v) => string_list(v).ok_or_else(|| format!("{at}: `required` must list strings"))?,
        None => Vec::new(),
    };
    let mut properties = Vec::new();
    if let Some(props) = obj.get("properties").and_then(Value::as_object) {
        for (name, schema) in props {
            let node = lower_at(doc, schema, &format!("{at}/properties/{name}"), depth + 1)?;
            properties.push(Property {
                name: name.clone(),
                node,
                required: required.contains(name),
                description: description_of(doc, schema),
                default: None,
                source: None,
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
    let additional = !matches!(obj.get("additionalProperties"), Some(Value::Bool(false)));
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
    depth: usize,
) -> Result<Node, String> {
    let list = alternatives
        .as_array()
        .ok_or_else(|| format!("{at}: `oneOf` must be a list"))?;
    let lowered = list
        .iter()
        .enumerate()
        .map(|(i, s)| lower_at(doc, s, &format!("{at}/oneOf/{i}"), depth + 1))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(tag) = obj
        .get("discriminator")
        .and_then(|d| d.get("propertyName"))
        .and_then(Value::as_str)
    {
        let mut variants = Vec::new();
        for node in lowered {
            let Node::Object(o) = node else {
                return Err(format!(
                    "{at}: every alternative of a discriminated `oneOf` must be an object"
                ));
            };
            let value = match o.property(tag).map(|p| &p.node) {
                Some(Node::String(s)) if s.allowed.len() == 1 => s.allowed[0].clone(),
                _ => {
                    return Err(format!(
                        "{at}: each alternative needs a required `{tag}` property with exactly one enum value"
                    ));
                }
            };
            variants.push((value, o));
        }
        return Ok(Node::Tagged(TaggedNode {
            tag: tag.to_string(),
            variants,
        }));
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

fn resolve_ref<'a>(doc: &'a Value, reference: &Value) -> Option<&'a Value> {
    doc.pointer(reference.as_str()?.strip_prefix('#')?)
}

fn description_of(doc: &Value, schema: &Value) -> Option<String> {
    let own = schema.get("description").and_then(Value::as_str);
    let referenced = || {
        schema
            .get("$ref")
            .and_then(|r| resolve_ref(doc, r))
            .and_then(|t| t.get("description"))
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

/// Finds the property at `path` (`a/*/b`) below `root`, descending through arrays (`*`)
/// and through the array or object alternative of a type union.
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

fn array_items(node: &mut Node) -> Option<&mut Node> {
    match node {
        Node::Array(items) => Some(items),
        Node::OneOfType(alts) => alts.iter_mut().find_map(|a| match a {
            Node::Array(items) => Some(items.as_mut()),
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

/// Narrows the property at `path` with a catalog constraint. Errors say what is wrong
/// with the constraint (the caller adds file, model and field).
pub fn apply_constraint(
    root: &mut ObjectNode,
    path: &str,
    c: &Constraint,
    source: &SourceRef,
) -> Result<(), String> {
    let prop = find_property_mut(root, path)?;
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

fn apply_range(node: &mut Node, min: Option<f64>, max: Option<f64>) -> Result<(), String> {
    if let (Some(lo), Some(hi)) = (min, max)
        && lo > hi
    {
        return Err(format!("minimum {lo} is greater than maximum {hi}"));
    }
    match scalar_mut(node, "number") {
        Some(Node::Integer { minimum, maximum }) => {
            for bound in [min, max].into_iter().flatten() {
                if bound.fract() != 0.0 {
                    return Err(format!(
                        "bound {bound} is not a whole number, but the parameter is an integer"
                    ));
                }
            }
            tighten(
                minimum,
                min.map(|f| f as i64),
                maximum,
                max.map(|f| f as i64),
            )
        }
        Some(Node::Number { minimum, maximum }) => tighten(minimum, min, maximum, max),
        _ => Err("minimum/maximum given for a parameter that is not a number".into()),
    }
}

/// Sets bounds, refusing to widen what the endpoint already bounds.
fn tighten<T: PartialOrd + Copy + std::fmt::Display>(
    minimum: &mut Option<T>,
    new_min: Option<T>,
    maximum: &mut Option<T>,
    new_max: Option<T>,
) -> Result<(), String> {
    if let (Some(new), Some(old)) = (new_min, *minimum)
        && new < old
    {
        return Err(format!(
            "minimum {new} is below the endpoint's minimum {old}"
        ));
    }
    if let (Some(new), Some(old)) = (new_max, *maximum)
        && new > old
    {
        return Err(format!(
            "maximum {new} is above the endpoint's maximum {old}"
        ));
    }
    *minimum = new_min.or(*minimum);
    *maximum = new_max.or(*maximum);
    Ok(())
}

fn apply_string(node: &mut Node, c: &Constraint) -> Result<(), String> {
    let Some(Node::String(s)) = scalar_mut(node, "string") else {
        return Err("enum, fixed or max_length given for a parameter that is not a string".into());
    };
    if let Some(allowed) = &c.allowed {
        if allowed.is_empty() {
            return Err("enum must list at least one value".into());
        }
        if let Some(bad) = allowed
            .iter()
            .find(|v| !s.allowed.is_empty() && !s.allowed.contains(v))
        {
            return Err(format!(
                "enum value `{bad}` is not one the endpoint allows ({})",
                s.allowed.join(", ")
            ));
        }
        s.allowed = allowed.clone();
    }
    if let Some(fixed) = &c.fixed {
        if !s.allowed.is_empty() && !s.allowed.contains(fixed) {
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
            "Req": {"type": "object", "required": ["model"], "properties": {
                "model": {"type": "string"},
                "max_tokens": {"type": "integer"},
                "temperature": {"type": "number"},
                "stop": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
                "messages": {"type": "array", "items": {"$ref": "#/components/schemas/Msg"}}
            }},
            "Msg": {"type": "object", "properties": {
                "role": {"type": "string", "enum": ["user", "assistant", "tool"]}
            }}
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

    #[test]
    fn ranges_apply_to_integers_and_reject_inverted_bounds() {
        let mut r = root();
        let c = Constraint {
            minimum: Some(1.0),
            maximum: Some(4096.0),
            ..Default::default()
        };
        apply_constraint(&mut r, "max_tokens", &c, &src()).unwrap();
        assert_eq!(
            r.property("max_tokens").unwrap().node,
            Node::Integer {
                minimum: Some(1),
                maximum: Some(4096)
            }
        );
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
    fn enums_narrow_through_arrays_and_must_be_subsets() {
        let mut r = root();
        let narrow = Constraint {
            allowed: Some(vec!["user".into()]),
            ..Default::default()
        };
        apply_constraint(&mut r, "messages/*/role", &narrow, &src()).unwrap();
        let widen = Constraint {
            allowed: Some(vec!["system".into()]),
            ..Default::default()
        };
        let err = apply_constraint(&mut r, "messages/*/role", &widen, &src()).unwrap_err();
        assert_eq!(
            err,
            "enum value `system` is not one the endpoint allows (user)"
        );
    }

    #[test]
    fn unknown_paths_list_what_exists() {
        let mut r = root();
        let err =
            apply_constraint(&mut r, "max_tokenz", &Constraint::default(), &src()).unwrap_err();
        assert_eq!(
            err,
            "`max_tokenz` does not exist (known here: max_tokens, messages, model, stop, temperature)"
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
