//! Lowering: an endpoint's OpenAPI request schema (the public format it follows, or the
//! gateway's own shape) turned into a rule tree ([`modelgate_rules::Node`]) with the
//! format's types, enums, ranges, required fields and nullability, every property of a
//! format schema marked [`Basis::Format`]. A model's documented facts are then layered on
//! top by [`modelgate_rules::resolve`] (the same code the library runs), which wins over
//! the format's and marks what the gateway documents [`Basis::Documented`].

use serde_json::Value;

pub use modelgate_rules::{
    Additional, ArrayNode, Basis, IntegerRule, Node, NumberRule, ObjectNode, Property, SourceRef,
    StringNode, TaggedNode, Variant, apply_constraint, find_property_mut, object_at_mut,
};

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
        Some("integer") => Node::Integer(IntegerRule {
            minimum: number("minimum").map(|f| f as i64),
            maximum: number("maximum").map(|f| f as i64),
        }),
        Some("number") => Node::Number(NumberRule {
            minimum: number("minimum"),
            maximum: number("maximum"),
        }),
        Some("string") => lower_string(obj, at, open_enum)?,
        Some("array") => {
            let items = match obj.get("items") {
                Some(items) => lower_at(doc, items, &format!("{at}/items"), source, depth + 1)?,
                None => Node::Any,
            };
            Node::Array(Box::new(ArrayNode {
                items,
                min_items: obj.get("minItems").and_then(Value::as_u64),
                max_items: obj.get("maxItems").and_then(Value::as_u64),
            }))
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
            // A property the format's schema lacks but its reference material sends
            // (`x-modelgate-practice: true`, with its own `x-modelgate-source`).
            let practice = match schema.get("x-modelgate-practice") {
                None | Some(Value::Bool(false)) => false,
                Some(Value::Bool(true)) => true,
                Some(_) => {
                    return Err(format!(
                        "{at}/properties/{name}: `x-modelgate-practice` must be true or false"
                    ));
                }
            };
            let own_source =
                source_of(schema).map_err(|e| format!("{at}/properties/{name}: {e}"))?;
            if practice && own_source.is_none() {
                return Err(format!(
                    "{at}/properties/{name}: a property sent in practice (`x-modelgate-practice`) needs its own `x-modelgate-source` saying who sends it"
                ));
            }
            properties.push(Property {
                name: name.clone(),
                node,
                required: required.contains(name),
                // A property of a format schema (one with a source) is the format's; one
                // of the gateway's own schemas is documented by being there.
                basis: if practice {
                    Basis::Practice
                } else if source.is_some() {
                    Basis::Format
                } else {
                    Basis::Documented
                },
                deprecated: is_deprecated(doc, schema),
                description: description_of(doc, schema),
                default: None,
                source: if practice {
                    own_source
                } else {
                    source.cloned()
                }
                .map(Box::new),
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
        ..Default::default()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec_file::Constraint;
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
            Node::Array(a) => match &a.items {
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
            r.property("temperature").unwrap().source.as_deref(),
            Some(&SourceRef {
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
            Node::Number(NumberRule {
                minimum: Some(0.0),
                maximum: Some(1.0)
            })
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
