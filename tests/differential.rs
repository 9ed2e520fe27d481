//! Differential test: for every documented model and endpoint, request payloads derived
//! from the catalog's rules (valid ones, and ones broken in exactly one place) must get
//! the same verdict from modelgate's generated validator and from the `jsonschema` crate
//! on the model's exported JSON Schema, and modelgate must name the broken place by its
//! JSON pointer.
//!
//! Broken in one place means: each range edge (valid) and one past it (invalid), a wrong
//! JSON type, an unknown enum value, another value than a fixed one, a string one
//! character over its maximum length, an array with too few or too many items, a required
//! field left out, a parameter neither the gateway nor the format has, an unknown tag of a
//! tagged union. Format-level and null cases are changes too, checked against the default
//! policy's verdict: a format parameter the gateway does not document (valid, with an
//! `undocumented_parameter` warning at its pointer), a value the format has beyond the
//! gateway's list (valid, `undocumented_value`), and a null on each kind of property
//! (valid where the format declares it nullable, valid with an `unexpected_null` warning
//! where it is optional, an error where it is required).
//!
//! Every case is also checked with one of its top-level keys given twice, a different
//! value first: modelgate must give the errors it gives the case itself (the last value
//! wins, as serde_json, and so jsonschema on serde_json's parse, read it) and a
//! `duplicate_key` warning at the second key, on both its report and verdict-only paths.
//!
//! Cases on a model's default endpoint are also checked against the one dispatching
//! schema (`modelgate schema --all`), with the validator left to pick the endpoint, as
//! `modelgate validate` does.
//!
//! `MODELGATE_DIFF_CASES` sets the number of cases (default 10,000); a disagreement
//! prints the payload and both verdicts. `MODELGATE_DIFF_DUMP=FILE` also writes the
//! default-endpoint cases to FILE, one JSON payload per line: the corpus that
//! `bench/compare-validators.sh` gives modelgate, ajv-cli and check-jsonschema.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use modelgate::catalog::MODELS;
use modelgate::rules::{
    Additional, Basis, IntegerRule, Node as Rule, NumberRule, ObjectNode as ObjectRule, Property,
    StringNode as StringRule,
};
use modelgate::validate::Validator;
use modelgate::{Code, Endpoint, Level};
use proptest::prelude::*;
use proptest::strategy::{Union, ValueTree};
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value, json};

/// One documented model on one endpoint, with its exported JSON Schema compiled.
struct Target {
    model: &'static str,
    endpoint: Endpoint,
    /// Whether `endpoint` is the model's default, the one chosen without `--endpoint`.
    default_endpoint: bool,
    rule: &'static ObjectRule,
    schema: jsonschema::Validator,
}

/// The dispatching schema for any model, compiled.
fn any_model_schema() -> &'static jsonschema::Validator {
    static SCHEMA: OnceLock<jsonschema::Validator> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let schema: Value = modelgate::catalog::any_model_json_schema();
        jsonschema::validator_for(&schema).expect("the any-model schema compiles")
    })
}

fn targets() -> &'static [Target] {
    static TARGETS: OnceLock<Vec<Target>> = OnceLock::new();
    TARGETS.get_or_init(|| {
        let mut out = Vec::new();
        for info in MODELS.iter() {
            let Some(model) = info.id else { continue };
            for request in info.requests {
                let schema: Value = request.json_schema(info);
                let schema = jsonschema::validator_for(&schema)
                    .unwrap_or_else(|e| panic!("{model}: exported schema does not compile: {e}"));
                out.push(Target {
                    model,
                    endpoint: request.endpoint,
                    default_endpoint: info.default_endpoint() == Some(request.endpoint),
                    // The validator's trees leave `model` free (the tree was chosen by it);
                    // the payloads generated from it carry the model's own ID.
                    rule: Box::leak(Box::new({
                        let mut root = request.rules().clone();
                        modelgate::rules::pin_model(&mut root, model);
                        root
                    })),
                    schema,
                });
            }
        }
        out
    })
}

// ---------------------------------------------------------------------------------------
// Valid payloads, derived from the rules.

const MAX_DEPTH: usize = 6;

fn any_json() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        (-1000i64..1000).prop_map(Value::from),
        "[a-z]{0,6}".prop_map(Value::from),
        Just(json!({"k": [1, "two", null]})),
    ]
    .boxed()
}

fn integer(rule: IntegerRule) -> BoxedStrategy<Value> {
    let lo = rule.minimum.unwrap_or(-1_000_000);
    let hi = rule.maximum.unwrap_or(lo.saturating_add(2_000_000)).max(lo);
    prop_oneof![Just(lo), Just(hi), lo..=hi]
        .prop_map(Value::from)
        .boxed()
}

fn number(rule: NumberRule) -> BoxedStrategy<Value> {
    let lo = rule.minimum.unwrap_or(-1000.0);
    let hi = rule.maximum.unwrap_or(lo + 2000.0).max(lo);
    prop_oneof![Just(lo), Just(hi), lo..=hi]
        .prop_map(Value::from)
        .boxed()
}

fn string(rule: &'static StringRule) -> BoxedStrategy<Value> {
    if let Some(fixed) = rule.fixed.as_deref() {
        return Just(Value::from(fixed)).boxed();
    }
    if rule.is_enum() {
        // Values accepted with a warning are valid at the default policy.
        let values: Vec<&'static str> = rule
            .allowed
            .iter()
            .chain(&rule.warn_values)
            .map(String::as_str)
            .collect();
        return proptest::sample::select(values)
            .prop_map(Value::from)
            .boxed();
    }
    let short = "[a-zA-Z é漢😀]{0,12}".prop_map(Value::from);
    match rule.max_length {
        // Exactly at the limit, in two-byte characters.
        Some(max) if max <= 10_000 => prop_oneof![
            3 => short,
            1 => Just(Value::from("é".repeat(max as usize))),
        ]
        .boxed(),
        _ => short.boxed(),
    }
}

fn object(
    rule: &'static ObjectRule,
    tag: Option<(&'static str, &'static str)>,
    depth: usize,
) -> BoxedStrategy<Value> {
    let fields: Vec<BoxedStrategy<Option<(&'static str, Value)>>> = rule
        .properties
        .iter()
        .map(|p| {
            let name = p.name.as_str();
            if let Some((_, tag_value)) = tag.filter(|(t, _)| *t == name) {
                return Just(Some((name, Value::from(tag_value)))).boxed();
            }
            let value = valid(&p.node, depth + 1).prop_map(move |v| Some((name, v)));
            if p.required {
                value.boxed()
            } else if depth >= MAX_DEPTH {
                Just(None).boxed()
            } else {
                prop_oneof![Just(None), value].boxed()
            }
        })
        .collect();
    let extra = match &rule.additional {
        _ if depth >= MAX_DEPTH => Just(None).boxed(),
        Additional::Any => proptest::option::of(any_json()).boxed(),
        Additional::Rule(r) => proptest::option::of(valid(r.as_ref(), depth + 1)).boxed(),
        Additional::Forbidden => Just(None).boxed(),
    };
    (fields, extra)
        .prop_map(|(fields, extra)| {
            let mut map = Map::new();
            for (name, value) in fields.into_iter().flatten() {
                map.insert(name.to_string(), value);
            }
            if let Some(v) = extra {
                map.insert("x_extra_field".into(), v);
            }
            Value::Object(map)
        })
        .boxed()
}

fn valid(rule: &'static Rule, depth: usize) -> BoxedStrategy<Value> {
    match rule {
        Rule::Any => any_json(),
        Rule::Null => Just(Value::Null).boxed(),
        Rule::Boolean => any::<bool>().prop_map(Value::from).boxed(),
        Rule::Integer(r) => integer(*r),
        Rule::Number(r) => number(*r),
        Rule::String(r) => string(r),
        Rule::Array(a) => {
            let least = a.min_items.unwrap_or(0) as usize;
            let most = if depth >= MAX_DEPTH {
                least
            } else {
                least.max(3)
            };
            let most = a
                .max_items
                .map_or(most, |m| most.min(m as usize))
                .max(least);
            proptest::collection::vec(valid(&a.items, depth + 1), least..=most)
                .prop_map(Value::Array)
                .boxed()
        }
        Rule::Object(o) => object(o, None, depth),
        Rule::OneOfType(alternatives) => {
            Union::new(alternatives.iter().map(|a| valid(a, depth))).boxed()
        }
        Rule::Tagged(t) => Union::new(
            t.variants
                .iter()
                .map(|v| object(&v.object, Some((t.tag.as_str(), v.value.as_str())), depth)),
        )
        .boxed(),
    }
}

// ---------------------------------------------------------------------------------------
// Breaking a payload in one place.

/// A place in a payload and the rule it must follow.
struct Place {
    pointer: String,
    rule: &'static Rule,
    /// Whether a value of another JSON type breaks it (not so for one alternative of a
    /// union, which another alternative may take).
    whole: bool,
}

/// An object in a payload, for leaving out a field or adding one the model does not take.
struct ObjectPlace {
    pointer: String,
    rule: &'static ObjectRule,
    /// The tag, when the object is a variant of a union with a default variant (taking
    /// the tag away or nulling it selects the default, so what fails depends on it).
    defaulting_tag: Option<&'static str>,
}

/// A property present in a payload, for setting it to null.
struct PropertyPlace {
    pointer: String,
    property: &'static Property,
}

/// Which alternative of a `OneOfType` a value took, by JSON type.
fn alternative_for(alternatives: &'static [Rule], value: &Value) -> Option<&'static Rule> {
    alternatives.iter().find(|rule| matches_type(rule, value))
}

fn matches_type(rule: &Rule, value: &Value) -> bool {
    match (rule, value) {
        (Rule::Any, _) | (Rule::Null, Value::Null) | (Rule::Boolean, Value::Bool(_)) => true,
        (Rule::Integer(_), Value::Number(n)) => {
            n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        (Rule::Number(_), Value::Number(_)) | (Rule::String(_), Value::String(_)) => true,
        (Rule::Array(_), Value::Array(_)) => true,
        (Rule::Object(_) | Rule::Tagged(_), Value::Object(_)) => true,
        (Rule::OneOfType(alts), v) => alts.iter().any(|a| matches_type(a, v)),
        _ => false,
    }
}

fn collect(
    value: &Value,
    rule: &'static Rule,
    pointer: String,
    places: &mut Vec<Place>,
    objects: &mut Vec<ObjectPlace>,
    props: &mut Vec<PropertyPlace>,
) {
    match (rule, value) {
        (Rule::OneOfType(alts), v) => {
            // A wrong type is judged against the whole union; the alternative the value
            // took has its own limits (a nullable range, a nullable fixed size).
            places.push(Place {
                pointer: pointer.clone(),
                rule,
                whole: true,
            });
            if let Some(alt) = alternative_for(alts, v) {
                places.push(Place {
                    pointer: pointer.clone(),
                    rule: alt,
                    whole: false,
                });
                collect_inner(v, alt, pointer, places, objects, props);
            }
        }
        _ => {
            places.push(Place {
                pointer: pointer.clone(),
                rule,
                whole: true,
            });
            collect_inner(value, rule, pointer, places, objects, props);
        }
    }
}

fn collect_inner(
    value: &Value,
    rule: &'static Rule,
    pointer: String,
    places: &mut Vec<Place>,
    objects: &mut Vec<ObjectPlace>,
    props: &mut Vec<PropertyPlace>,
) {
    match (rule, value) {
        (Rule::Array(a), Value::Array(items)) => {
            for (i, v) in items.iter().enumerate() {
                collect(
                    v,
                    &a.items,
                    format!("{pointer}/{i}"),
                    places,
                    objects,
                    props,
                );
            }
        }
        (Rule::Object(o), Value::Object(map)) => {
            collect_object(map, o, pointer, places, objects, props)
        }
        (Rule::Tagged(t), Value::Object(map)) => {
            let variant = match map.get(&t.tag) {
                Some(Value::String(tag)) => t.variant(tag),
                None | Some(Value::Null) => t.default.map(|i| &t.variants[i]),
                Some(_) => None,
            };
            if let Some(v) = variant {
                let before = props.len();
                let object = objects.len();
                collect_object(map, &v.object, pointer, places, objects, props);
                if t.default.is_some() {
                    objects[object].defaulting_tag = Some(&t.tag);
                }
                // A null tag selects the default variant: what then fails depends on it.
                if t.default.is_some() {
                    let tag = modelgate::pointer::join("", &t.tag);
                    let mut i = before;
                    while i < props.len() {
                        if props[i].pointer.ends_with(&tag) && props[i].property.name == t.tag {
                            props.remove(i);
                        } else {
                            i += 1;
                        }
                    }
                }
            }
        }
        _ => {}
    }
}

fn collect_object(
    map: &Map<String, Value>,
    rule: &'static ObjectRule,
    pointer: String,
    places: &mut Vec<Place>,
    objects: &mut Vec<ObjectPlace>,
    props: &mut Vec<PropertyPlace>,
) {
    objects.push(ObjectPlace {
        pointer: pointer.clone(),
        rule,
        defaulting_tag: None,
    });
    for p in &rule.properties {
        if let Some(v) = map.get(&p.name) {
            let at = modelgate::pointer::join(&pointer, &p.name);
            props.push(PropertyPlace {
                pointer: at.clone(),
                property: p,
            });
            if v.is_null() && !p.required {
                continue; // "not set": nothing below it to break
            }
            collect(v, &p.node, at, places, objects, props);
        }
    }
}

/// What a change should do to the verdict (at the default policy).
#[derive(Clone, Debug, PartialEq)]
enum Expect {
    Valid,
    /// Valid, with a warning of this code at this pointer.
    WarnAt(String, Code),
    /// Invalid, with an error at this pointer.
    InvalidAt(String),
}

/// The kinds of change, for the coverage count at the end.
const KINDS: &[&str] = &[
    "valid",
    "edge",
    "past_edge",
    "wrong_type",
    "unknown_enum_value",
    "not_the_fixed_value",
    "over_long_string",
    "array_length",
    "missing_required",
    "unknown_parameter",
    "unknown_tag",
    "format_parameter",
    "undocumented_value",
    "null_nullable",
    "null_optional",
    "null_required",
];

/// A value of a JSON type the rule does not accept (null has kinds of its own).
fn wrong_type(rule: &Rule) -> Option<Value> {
    let candidates = [
        json!("a string"),
        json!(1.5),
        json!(true),
        json!([1]),
        json!({"k": 1}),
    ];
    if matches!(rule, Rule::Any) {
        return None;
    }
    candidates.into_iter().find(|c| !matches_type(rule, c))
}

/// Parameter names a model may not take (common OpenAI and Anthropic ones first).
const FOREIGN: &[&str] = &[
    "reasoning_effort",
    "top_k",
    "logprobs",
    "seed",
    "n",
    "user",
    "stop_sequences",
    "not_a_parameter",
];

/// A small valid value for a rule, to add a parameter the payload lacks.
fn sample(rule: &'static Rule) -> Value {
    match rule {
        Rule::Any => json!(1),
        Rule::Null => Value::Null,
        Rule::Boolean => json!(true),
        Rule::Integer(r) => json!(r.minimum.or(r.maximum).unwrap_or(1)),
        Rule::Number(r) => json!(r.minimum.or(r.maximum).unwrap_or(0.5)),
        Rule::String(r) => match (
            r.fixed.as_deref(),
            r.allowed.first().map(String::as_str),
            r.warn_values.first().map(String::as_str),
        ) {
            (Some(f), _, _) | (None, Some(f), _) | (None, None, Some(f)) => json!(f),
            _ => json!("x"),
        },
        Rule::Array(a) => Value::Array(
            (0..a.min_items.unwrap_or(0))
                .map(|_| sample(&a.items))
                .collect(),
        ),
        Rule::Object(o) => sample_object(o, None),
        Rule::OneOfType(alts) => alts
            .iter()
            .find(|a| !matches!(a, Rule::Null))
            .map_or(Value::Null, sample),
        Rule::Tagged(t) => {
            let v = &t.variants[0];
            sample_object(&v.object, Some((t.tag.as_str(), v.value.as_str())))
        }
    }
}

fn sample_object(o: &'static ObjectRule, tag: Option<(&str, &str)>) -> Value {
    let mut map = Map::new();
    for p in o.properties.iter().filter(|p| p.required) {
        let v = match tag {
            Some((t, value)) if t == p.name => json!(value),
            _ => sample(&p.node),
        };
        map.insert(p.name.to_string(), v);
    }
    Value::Object(map)
}

fn set(root: &mut Value, pointer: &str, v: Value) {
    *root.pointer_mut(pointer).expect("the place exists") = v;
}

/// Applies change number `choice` (any number; it is reduced to what the payload
/// allows) and says what the verdict must be.
fn break_one(
    target: &Target,
    payload: &mut Value,
    choice: u64,
    kinds: &RefCell<BTreeMap<&'static str, usize>>,
) -> Expect {
    let mut places = Vec::new();
    let mut objects = Vec::new();
    let mut props = Vec::new();
    // The root is an object; its `model` selects the rules and is left alone.
    let Value::Object(root) = payload.clone() else {
        unreachable!("payloads are objects")
    };
    collect_object(
        &root,
        target.rule,
        String::new(),
        &mut places,
        &mut objects,
        &mut props,
    );
    places.retain(|p| p.pointer != "/model");
    props.retain(|p| p.pointer != "/model");

    let mut changes: Vec<(&'static str, String, Option<Value>, Expect)> = Vec::new();
    for place in &places {
        let at = || Expect::InvalidAt(place.pointer.clone());
        if let Some(v) = wrong_type(place.rule).filter(|_| place.whole) {
            changes.push(("wrong_type", place.pointer.clone(), Some(v), at()));
        }
        match place.rule {
            Rule::Integer(r) => {
                for (edge, past) in [
                    (r.minimum, r.minimum.map(|m| m - 1)),
                    (r.maximum, r.maximum.map(|m| m + 1)),
                ] {
                    if let (Some(edge), Some(past)) = (edge, past) {
                        changes.push((
                            "edge",
                            place.pointer.clone(),
                            Some(json!(edge)),
                            Expect::Valid,
                        ));
                        changes.push(("past_edge", place.pointer.clone(), Some(json!(past)), at()));
                    }
                }
            }
            Rule::Number(r) => {
                for (edge, past) in [
                    (r.minimum, r.minimum.map(|m| m - 0.5)),
                    (r.maximum, r.maximum.map(|m| m + 0.5)),
                ] {
                    if let (Some(edge), Some(past)) = (edge, past) {
                        changes.push((
                            "edge",
                            place.pointer.clone(),
                            Some(json!(edge)),
                            Expect::Valid,
                        ));
                        changes.push(("past_edge", place.pointer.clone(), Some(json!(past)), at()));
                    }
                }
            }
            Rule::String(r) => {
                if r.fixed.is_some() {
                    changes.push((
                        "not_the_fixed_value",
                        place.pointer.clone(),
                        Some(json!("0x0")),
                        at(),
                    ));
                } else if r.is_enum() {
                    changes.push((
                        "unknown_enum_value",
                        place.pointer.clone(),
                        Some(json!("not-a-value")),
                        at(),
                    ));
                    if let Some(value) = r.warn_values.first() {
                        changes.push((
                            "undocumented_value",
                            place.pointer.clone(),
                            Some(json!(value)),
                            Expect::WarnAt(place.pointer.clone(), Code::UndocumentedValue),
                        ));
                    }
                } else if let Some(max) = r.max_length {
                    let max = max as usize;
                    changes.push((
                        "edge",
                        place.pointer.clone(),
                        Some(json!("漢".repeat(max))),
                        Expect::Valid,
                    ));
                    changes.push((
                        "over_long_string",
                        place.pointer.clone(),
                        Some(json!("漢".repeat(max + 1))),
                        at(),
                    ));
                }
            }
            Rule::Tagged(t) => {
                let pointer = modelgate::pointer::join(&place.pointer, &t.tag);
                changes.push((
                    "unknown_tag",
                    pointer.clone(),
                    Some(json!("not-a-tag")),
                    Expect::InvalidAt(pointer.clone()),
                ));
                if let Some(v) = t.variants.iter().find(|v| v.warn) {
                    changes.push((
                        "undocumented_value",
                        place.pointer.clone(),
                        Some(sample_object(
                            &v.object,
                            Some((t.tag.as_str(), v.value.as_str())),
                        )),
                        Expect::WarnAt(pointer, Code::UndocumentedValue),
                    ));
                }
            }
            Rule::Array(a) => {
                let items = payload
                    .pointer(&place.pointer)
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                if a.min_items.is_some_and(|m| m > 0) {
                    let fewer =
                        items[..(a.min_items.unwrap_or(1) as usize - 1).min(items.len())].to_vec();
                    changes.push((
                        "array_length",
                        place.pointer.clone(),
                        Some(Value::Array(fewer)),
                        at(),
                    ));
                }
                if let (Some(max), Some(first)) = (a.max_items.filter(|m| *m <= 20), items.first())
                {
                    let more = vec![first.clone(); max as usize + 1];
                    changes.push((
                        "array_length",
                        place.pointer.clone(),
                        Some(Value::Array(more)),
                        at(),
                    ));
                }
            }
            _ => {}
        }
    }
    // Nulls: "not set" where nullable or optional (a warning where not declared), an
    // error where required.
    for prop in &props {
        let p = prop.property;
        let (kind, expect) = if p.node.accepts_null() {
            ("null_nullable", Expect::Valid)
        } else if !p.required {
            (
                "null_optional",
                Expect::WarnAt(prop.pointer.clone(), Code::UnexpectedNull),
            )
        } else {
            ("null_required", Expect::InvalidAt(prop.pointer.clone()))
        };
        changes.push((kind, prop.pointer.clone(), Some(Value::Null), expect));
    }
    for object in &objects {
        let Some(Value::Object(map)) = payload.pointer(&object.pointer) else {
            continue;
        };
        for p in &object.rule.properties {
            if p.required
                && map.contains_key(&p.name)
                && !(object.pointer.is_empty() && p.name == "model")
                && object.defaulting_tag != Some(p.name.as_str())
            {
                let pointer = modelgate::pointer::join(&object.pointer, &p.name);
                changes.push((
                    "missing_required",
                    pointer.clone(),
                    None,
                    Expect::InvalidAt(pointer),
                ));
            }
        }
        if object.rule.additional == Additional::Forbidden
            && let Some(name) = FOREIGN
                .iter()
                .find(|n| object.rule.property(n).is_none() && !map.contains_key(**n))
        {
            let pointer = format!("{}/{name}", object.pointer);
            changes.push((
                "unknown_parameter",
                pointer.clone(),
                Some(json!(1)),
                Expect::InvalidAt(pointer),
            ));
        }
        // A format parameter the gateway does not document, where the object is
        // documented (below an undocumented parameter, the warning is made once, above).
        if let Some(p) = object
            .rule
            .properties
            .iter()
            .find(|p| p.basis == Basis::Format && !map.contains_key(&p.name))
            && object
                .rule
                .properties
                .iter()
                .any(|q| q.basis == Basis::Documented)
        {
            let pointer = modelgate::pointer::join(&object.pointer, &p.name);
            changes.push((
                "format_parameter",
                pointer.clone(),
                Some(sample(&p.node)),
                Expect::WarnAt(pointer, Code::UndocumentedParameter),
            ));
        }
    }
    // One case in eight stays as generated.
    if changes.is_empty() || choice.is_multiple_of(8) {
        *kinds.borrow_mut().entry("valid").or_default() += 1;
        return Expect::Valid;
    }
    // A kind first, uniformly among those this payload allows, then one change of it:
    // rare kinds (an over-long string) get as many cases as common ones (a wrong type).
    let mut available: Vec<&'static str> = changes.iter().map(|c| c.0).collect();
    available.sort_unstable();
    available.dedup();
    let kind = available[(choice / 8) as usize % available.len()];
    let mut of_kind: Vec<_> = changes.into_iter().filter(|c| c.0 == kind).collect();
    let pick = (choice / 8 / available.len() as u64) as usize % of_kind.len();
    let (kind, pointer, value, expect) = of_kind.swap_remove(pick);
    *kinds.borrow_mut().entry(kind).or_default() += 1;
    match value {
        Some(v) if kind == "unknown_parameter" || kind == "format_parameter" => {
            let (parent, name) = pointer.rsplit_once('/').expect("a property pointer");
            payload
                .pointer_mut(parent)
                .and_then(Value::as_object_mut)
                .expect("the object exists")
                .insert(name.to_string(), v);
        }
        Some(v) => set(payload, &pointer, v),
        None => {
            let (parent, name) = pointer.rsplit_once('/').expect("a property pointer");
            payload
                .pointer_mut(parent)
                .and_then(Value::as_object_mut)
                .expect("the object exists")
                .remove(&*modelgate::pointer::unescape(name));
        }
    }
    expect
}

// ---------------------------------------------------------------------------------------

fn case_count() -> u32 {
    std::env::var("MODELGATE_DIFF_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000)
}

#[test]
fn generated_validator_and_jsonschema_agree_on_every_model() {
    let all = targets();
    assert!(
        all.len() >= 37,
        "every documented model has a schema: {}",
        all.len()
    );
    let strategy = (0..all.len())
        .prop_flat_map(|i| {
            let t = &targets()[i];
            (Just(i), object(t.rule, None, 0), any::<u64>())
        })
        .prop_map(|(i, mut payload, choice)| {
            // The generated object holds the model's fixed id already; make sure.
            payload["model"] = json!(targets()[i].model);
            (i, payload, choice)
        });
    let cases = case_count();
    let kinds = RefCell::new(BTreeMap::new());
    let per_target = RefCell::new(vec![0usize; all.len()]);
    let dump = RefCell::new(std::env::var_os("MODELGATE_DIFF_DUMP").map(|path| {
        let file = std::fs::File::create(&path)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", path.display()));
        std::io::BufWriter::new(file)
    }));
    let dispatched = RefCell::new(0usize);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 2_000,
        ..Config::default()
    });
    let result = runner.run(&strategy, |(i, mut payload, choice)| {
        let target = &all[i];
        per_target.borrow_mut()[i] += 1;
        let expect = break_one(target, &mut payload, choice, &kinds);
        let validator = Validator::new().endpoint(target.endpoint);
        let report = validator.validate_value(&payload);
        let bytes = serde_json::to_vec(&payload).expect("serializable");
        let fast = validator.is_valid_json(&bytes);
        let reference = target.schema.is_valid(&payload);
        let shown = || {
            format!(
                "model {} on {}\npayload: {payload}\nexpected: {expect:?}\njsonschema: {}\nmodelgate: {} (verdict-only path: {fast})\nviolations: {:#?}",
                target.model,
                target.endpoint.key(),
                if reference { "valid" } else { "invalid" },
                if report.is_valid() { "valid" } else { "invalid" },
                report.findings().collect::<Vec<_>>()
            )
        };
        prop_assert_eq!(reference, report.is_valid(), "the verdicts differ\n{}", shown());
        prop_assert_eq!(fast, report.is_valid(), "the verdict-only path differs\n{}", shown());
        if target.default_endpoint {
            *dispatched.borrow_mut() += 1;
            let chosen = Validator::new().validate_value(&payload).is_valid();
            let any = any_model_schema().is_valid(&payload);
            prop_assert_eq!(
                chosen,
                report.is_valid(),
                "validation without --endpoint differs\n{}",
                shown()
            );
            prop_assert_eq!(any, chosen, "the any-model schema differs\n{}", shown());
            if let Some(out) = dump.borrow_mut().as_mut() {
                use std::io::Write;
                writeln!(out, "{payload}").expect("write the corpus");
            }
        }
        // The same payload with an earlier, different copy of one of its keys: read as
        // serde_json reads it (the last value wins), with a duplicate_key warning there.
        if let Some(object) = payload.as_object().filter(|o| !o.is_empty()) {
            let key = object.keys().nth(choice as usize % object.len()).expect("a key");
            let decoy = if key == "model" { json!("decoy-model") } else { json!({"decoy": [null]}) };
            let name = serde_json::to_string(key).unwrap();
            let mut rest = object.clone();
            let value = rest.remove(key).expect("the key");
            let rest = serde_json::to_string(&rest).unwrap();
            let prefix = format!("{{{name}:{decoy},");
            let second = prefix.len()..prefix.len() + name.len();
            let comma = if rest.len() > 2 { "," } else { "" };
            let doubled = format!("{prefix}{name}:{value}{comma}{}", &rest[1..]);
            let again = validator.validate_json(doubled.as_bytes());
            let pointer = modelgate::pointer::join("", key);
            let sorted = |findings: &[modelgate::Finding]| {
                let mut all: Vec<_> = findings.iter().map(|f| (f.pointer.clone(), f.code, f.message.clone())).collect();
                all.sort();
                all
            };
            prop_assert_eq!(
                sorted(&again.errors),
                sorted(&report.errors),
                "a repeated key changes the errors\npayload: {}\n{}",
                doubled,
                shown()
            );
            prop_assert!(
                again.warnings.iter().any(|w| w.code == Code::DuplicateKey && w.pointer == pointer && w.span.as_ref() == Some(&second)),
                "no duplicate_key warning at {pointer}: {:#?}",
                again.warnings
            );
            prop_assert_eq!(validator.is_valid_json(doubled.as_bytes()), report.is_valid(), "the verdict-only path differs on {}", doubled);
        }
        match &expect {
            Expect::Valid => prop_assert!(report.is_valid(), "should be valid\n{}", shown()),
            Expect::WarnAt(pointer, code) => {
                prop_assert!(report.is_valid(), "should be valid\n{}", shown());
                prop_assert!(
                    report
                        .warnings
                        .iter()
                        .any(|v| &v.pointer == pointer && v.code == *code && v.level == Level::Warn),
                    "no {code} warning at {pointer}\n{}",
                    shown()
                );
            }
            Expect::InvalidAt(pointer) => prop_assert!(
                report.errors.iter().any(|v| &v.pointer == pointer),
                "no error at {pointer}\n{}",
                shown()
            ),
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    if let Some(mut out) = dump.into_inner() {
        use std::io::Write;
        out.flush().expect("write the corpus");
    }
    let dispatched = dispatched.into_inner();
    assert!(
        dispatched * 2 >= cases as usize,
        "most cases are on a default endpoint: {dispatched} of {cases}"
    );
    let kinds = kinds.into_inner();
    let per_target = per_target.into_inner();
    eprintln!(
        "differential: {cases} cases over {} model/endpoint schemas ({dispatched} on a default endpoint, also checked against the any-model schema); changes: {kinds:?}",
        all.len()
    );
    let total: usize = kinds.values().sum();
    assert_eq!(
        total, cases as usize,
        "every case records exactly one kind of change"
    );
    if cases >= 5_000 {
        for kind in KINDS {
            assert!(
                kinds.get(kind).copied().unwrap_or(0) > 0,
                "no case of kind {kind}: {kinds:?}"
            );
        }
        for (t, n) in all.iter().zip(&per_target) {
            assert!(
                *n > 0,
                "{} on {} was never generated",
                t.model,
                t.endpoint.key()
            );
        }
    }
}

/// The strategies themselves: a generated valid payload passes both validators for a few
/// models chosen for their shapes, so that a broken generator fails here first.
#[test]
fn generated_payloads_are_valid() {
    let mut runner = TestRunner::deterministic();
    for target in targets() {
        for _ in 0..5 {
            let tree = object(target.rule, None, 0)
                .new_tree(&mut runner)
                .expect("a value tree");
            let payload = tree.current();
            let report = Validator::new()
                .endpoint(target.endpoint)
                .validate_value(&payload);
            assert!(
                report.is_valid() && target.schema.is_valid(&payload),
                "{} on {}: {payload}\n{:#?}",
                target.model,
                target.endpoint.key(),
                report.errors
            );
        }
    }
}
