//! Every documented constraint of every documented model, checked through the validator
//! against an independent transcription of the seeds (`tests/seed_facts/table.rs`, written
//! without looking at `spec/`). A typo in the catalog or a bug in the generator or the
//! validator shows up here as a named row.
//!
//! For each range: both edges pass, one step past each fails with `out_of_range`; for each
//! enum: every value passes, another fails with `not_in_enum`; for each model: exactly its
//! documented parameters are documented (the endpoint's format has more, each a warning,
//! catalog note `knowledge-levels`); fixed sizes, prompt lengths, required fields, prices
//! and context windows likewise.

mod seed_facts {
    pub mod table;
}

use modelgate::catalog::{MODELS, ModelId, ModelStatus, Pricing};
use modelgate::rules::Basis;
use modelgate::{Code, Endpoint, Level, Report, Validator};
use seed_facts::table::*;
use serde_json::{Value, json};

/// A minimal valid payload for `model` on `endpoint`.
fn base(model: &str, endpoint: &str) -> Value {
    match endpoint.split('.').nth(1).unwrap() {
        "chat_completions" => {
            json!({"model": model, "messages": [{"role": "user", "content": "hi"}]})
        }
        "messages" => {
            json!({"model": model, "max_tokens": 16, "messages": [{"role": "user", "content": "hi"}]})
        }
        "media_generation" => json!({"model": model, "input": [{"params": {}}]}),
        "images_edits" => {
            json!({"model": model, "prompt": "p", "image": "https://example.com/a.png"})
        }
        _ => json!({"model": model, "prompt": "p"}),
    }
}

/// A payload with `value` at `pointer`, plus what the format requires with it (a
/// `json_schema` object for `response_format.type` json_schema).
fn with_value(model: &str, endpoint: &str, pointer: &str, value: &str) -> Value {
    let mut payload = with(model, endpoint, pointer, json!(value));
    if pointer == "/response_format/type" && value == "json_schema" {
        set(
            &mut payload,
            "/response_format/json_schema",
            json!({"name": "answer"}),
        );
    }
    payload
}

/// Sets the value at `pointer`, creating objects on the way (arrays must exist).
fn set(target: &mut Value, pointer: &str, value: Value) {
    let mut node = target;
    let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
    for (i, token) in tokens.iter().enumerate() {
        let last = i + 1 == tokens.len();
        node = match node {
            Value::Array(items) => &mut items[token.parse::<usize>().unwrap()],
            Value::Object(map) => {
                if last {
                    map.insert(token.to_string(), value);
                    return;
                }
                map.entry(token.to_string()).or_insert_with(|| json!({}))
            }
            other => panic!("cannot descend into {other} at {pointer}"),
        };
    }
    *node = value;
}

fn check(model: &str, endpoint: &str, payload: &Value) -> Report {
    let e = Endpoint::from_key(endpoint).unwrap_or_else(|| panic!("unknown endpoint {endpoint}"));
    let report = Validator::new().endpoint(e).validate_value(payload);
    if payload.get("model").is_some() {
        assert_eq!(
            report.model.as_deref(),
            Some(model),
            "the validator reads the model from the payload"
        );
        assert_eq!(report.endpoint, Some(e));
    }
    report
}

/// Describes a failed expectation; `None` when the report is as expected.
fn expect(report: &Report, want: Option<(Code, &str)>, what: &str) -> Option<String> {
    match want {
        None if report.is_valid() => None,
        None => Some(format!("{what}: expected valid, got {:?}", report.errors)),
        Some((code, pointer)) => {
            let hit = report
                .findings()
                .any(|v| v.code == code && v.pointer == pointer);
            (!hit).then(|| {
                format!(
                    "{what}: expected {code} at {pointer}, got {:?}",
                    report.findings().collect::<Vec<_>>()
                )
            })
        }
    }
}

fn assert_no_failures(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn with(model: &str, endpoint: &str, pointer: &str, value: Value) -> Value {
    let mut p = base(model, endpoint);
    set(&mut p, pointer, value);
    p
}

#[test]
fn every_range_accepts_both_edges_and_rejects_one_step_past() {
    let mut failures = Vec::new();
    for f in RANGES {
        let step = if f.integer { 1.0 } else { 1e-6 };
        let num = |v: f64| if f.integer { json!(v as i64) } else { json!(v) };
        let what = |case: &str| format!("{} {} {case} ({})", f.model, f.pointer, f.source);
        let cases = [
            (num(f.min), None, what("min")),
            (num(f.max), None, what("max")),
            (
                num(f.min - step),
                Some((Code::OutOfRange, f.pointer)),
                what("min - step"),
            ),
            (
                num(f.max + step),
                Some((Code::OutOfRange, f.pointer)),
                what("max + step"),
            ),
        ];
        for (value, want, label) in cases {
            let report = check(
                f.model,
                f.endpoint,
                &with(f.model, f.endpoint, f.pointer, value),
            );
            failures.extend(expect(&report, want, &label));
        }
        if f.integer {
            let report = check(
                f.model,
                f.endpoint,
                &with(f.model, f.endpoint, f.pointer, json!(f.min + 0.5)),
            );
            failures.extend(expect(
                &report,
                Some((Code::WrongType, f.pointer)),
                &what("fractional"),
            ));
            // JSON Schema counts 2.0 as an integer; so does the validator.
            let report = check(
                f.model,
                f.endpoint,
                &with(f.model, f.endpoint, f.pointer, json!(f.max)),
            );
            failures.extend(expect(&report, None, &what("max as float")));
        }
        let report = check(
            f.model,
            f.endpoint,
            &with(f.model, f.endpoint, f.pointer, json!("1")),
        );
        failures.extend(expect(
            &report,
            Some((Code::WrongType, f.pointer)),
            &what("string"),
        ));
    }
    assert!(
        RANGES.len() >= 50,
        "the table should cover every documented range"
    );
    assert_no_failures(failures);
}

#[test]
fn every_enum_value_passes_and_others_fail() {
    assert_eq!(ENUMS.len(), 20, "the seed table's enum rows");
    let mut failures = Vec::new();
    for f in ENUMS {
        for value in f.allowed {
            let report = check(
                f.model,
                f.endpoint,
                &with_value(f.model, f.endpoint, f.pointer, value),
            );
            failures.extend(expect(
                &report,
                None,
                &format!("{} {} = {value:?} ({})", f.model, f.pointer, f.source),
            ));
        }
        let report = check(
            f.model,
            f.endpoint,
            &with(f.model, f.endpoint, f.pointer, json!("not-a-value")),
        );
        failures.extend(expect(
            &report,
            Some((Code::NotInEnum, f.pointer)),
            &format!("{} {} outside", f.model, f.pointer),
        ));
    }
    assert_no_failures(failures);
}

/// The catalog's values for an enum are the seed's: another value the format has is an
/// error (`not_in_enum`), except for roles, whose lists note `tool-role` shows to be
/// incomplete: there the roles a model's documented tools or functions need are accepted,
/// and the format's other roles draw an `undocumented_value` warning.
#[test]
fn catalog_enums_match_the_seeds_except_for_noted_roles() {
    let mut failures = Vec::new();
    for f in ENUMS {
        let documented = PARAMS
            .iter()
            .find(|p| p.model == f.model)
            .map(|p| p.params)
            .unwrap_or(&[]);
        let role = f.pointer.ends_with("/role");
        for candidate in [
            "tool",
            "function",
            "assistant",
            "system",
            "json_schema",
            "xhigh",
            "minimal",
        ] {
            if f.allowed.contains(&candidate) {
                continue;
            }
            let mut payload = with_value(f.model, f.endpoint, f.pointer, candidate);
            if candidate == "tool" {
                set(&mut payload, "/messages/0/tool_call_id", json!("call_1"));
            }
            if candidate == "function" {
                set(&mut payload, "/messages/0/name", json!("f"));
            }
            let report = check(f.model, f.endpoint, &payload);
            let at: Vec<(Code, Level)> = report
                .findings()
                .filter(|v| v.pointer == f.pointer)
                .map(|v| (v.code, v.level))
                .collect();
            let format_role =
                role && ["tool", "function", "assistant", "system"].contains(&candidate);
            let needed = (candidate == "tool" && documented.contains(&"tools"))
                || (candidate == "function" && documented.contains(&"functions"));
            let want: Vec<(Code, Level)> = match (format_role, needed) {
                (true, true) => vec![],
                (true, false) => vec![(Code::UndocumentedValue, Level::Warn)],
                (false, _) => vec![(Code::NotInEnum, Level::Deny)],
            };
            if at != want {
                failures.push(format!(
                    "{} {}: {candidate:?} gives {at:?}, expected {want:?} ({})",
                    f.model, f.pointer, f.source
                ));
            }
        }
    }
    assert_no_failures(failures);
}

#[test]
fn each_model_documents_exactly_its_documented_parameters() {
    assert_eq!(PARAMS.len(), 18, "the seed table's parameter sets");
    let mut failures = Vec::new();
    for f in PARAMS {
        let info = ModelId::from_id(f.model)
            .expect("documented model is in the catalog")
            .info();
        let endpoint = Endpoint::from_key(f.endpoint).unwrap();
        let rule = info
            .request(endpoint)
            .expect("documented on that endpoint")
            .rules();
        // Media models: the seed lists `model` with the model's own parameters, which
        // the request carries in input[0].params (public-facts section 1).
        let (object, expected): (_, Vec<&str>) = if f.endpoint == "vtrix.media_generation" {
            let params = rule.property("input").map(|p| &p.node);
            let Some(modelgate::rules::Node::Array(items)) = params else {
                panic!("input is an array")
            };
            let modelgate::rules::Node::Object(input) = &items.items else {
                panic!("input is an array of objects")
            };
            let modelgate::rules::Node::Object(params) = &input.property("params").unwrap().node
            else {
                panic!("params is an object")
            };
            (
                params,
                f.params.iter().copied().filter(|p| *p != "model").collect(),
            )
        } else {
            (rule, f.params.to_vec())
        };
        let mut documented: Vec<&str> = object
            .properties
            .iter()
            .filter(|p| p.basis == Basis::Documented)
            .map(|p| p.name.as_str())
            .collect();
        let mut want = expected.clone();
        documented.sort();
        want.sort();
        if documented != want {
            failures.push(format!(
                "{}: documents {documented:?}, seed documents {want:?} ({})",
                f.model, f.source
            ));
        }
        // A parameter neither documented nor in the format is refused, with its pointer.
        let pointer = if f.endpoint == "vtrix.media_generation" {
            "/input/0/params/unknown_knob"
        } else {
            "/unknown_knob"
        };
        let report = check(
            f.model,
            f.endpoint,
            &with(f.model, f.endpoint, pointer, json!(1)),
        );
        failures.extend(expect(
            &report,
            Some((Code::UnknownParameter, pointer)),
            &format!("{} unknown parameter", f.model),
        ));
    }
    assert_no_failures(failures);
}

#[test]
fn seed_000_models_warn_on_parameters_other_models_document() {
    let mut failures = Vec::new();
    let models: Vec<_> = PARAMS
        .iter()
        .filter(|p| p.source.starts_with("seed 000") && p.endpoint == "vtrix.chat_completions")
        .collect();
    assert!(!models.is_empty(), "no seed 000 parameter set");
    for f in models {
        for (param, value) in [
            ("stop", json!("END")),
            ("tools", json!([])),
            ("reasoning_effort", json!("high")),
        ] {
            let pointer = format!("/{param}");
            let report = check(
                f.model,
                f.endpoint,
                &with(f.model, f.endpoint, &pointer, value),
            );
            if !report.is_valid() {
                failures.push(format!("{} {param}: refused: {:?}", f.model, report.errors));
            }
            failures.extend(expect(
                &report,
                Some((Code::UndocumentedParameter, &pointer)),
                &format!("{} {param}", f.model),
            ));
        }
    }
    assert_no_failures(failures);
}

#[test]
fn fixed_image_sizes_hold_on_generation_and_edit() {
    let mut failures = Vec::new();
    for f in FIXED {
        for endpoint in [f.endpoint, "vertexkey.images_edits"] {
            let ok = check(
                f.model,
                endpoint,
                &with(f.model, endpoint, f.pointer, json!(f.value)),
            );
            failures.extend(expect(
                &ok,
                None,
                &format!("{} {endpoint} size {}", f.model, f.value),
            ));
            for other in [
                "512x512",
                "1024x1025",
                "2048x2048",
                "4096x4096",
                "1024×1024",
            ] {
                if other == f.value {
                    continue;
                }
                let bad = check(
                    f.model,
                    endpoint,
                    &with(f.model, endpoint, f.pointer, json!(other)),
                );
                failures.extend(expect(
                    &bad,
                    Some((Code::FixedValueMismatch, f.pointer)),
                    &format!("{} {endpoint} size {other}", f.model),
                ));
            }
        }
        let info = ModelId::from_id(f.model).unwrap().info();
        if info.fixed_size != Some(f.value) {
            failures.push(format!(
                "{}: catalog fixed_size {:?}, seed {} ({})",
                f.model, info.fixed_size, f.value, f.source
            ));
        }
    }
    assert_eq!(FIXED.len(), 7);
    assert_no_failures(failures);
}

#[test]
fn prompt_lengths_count_characters() {
    let mut failures = Vec::new();
    for f in MAX_LENGTHS {
        let max = f.max_chars as usize;
        let cases = [
            ("a".repeat(max), None),
            ("é".repeat(max), None),
            ("a".repeat(max + 1), Some((Code::TooLong, f.pointer))),
            ("日".repeat(max + 1), Some((Code::TooLong, f.pointer))),
        ];
        for (text, want) in cases {
            let report = check(
                f.model,
                f.endpoint,
                &with(f.model, f.endpoint, f.pointer, json!(text)),
            );
            let label = format!(
                "{} {} {} chars ({})",
                f.model,
                f.pointer,
                text.chars().count(),
                f.source
            );
            failures.extend(expect(&report, want, &label));
        }
    }
    assert!(!MAX_LENGTHS.is_empty());
    assert_no_failures(failures);
}

#[test]
fn required_fields_are_required() {
    let mut failures = Vec::new();
    let models: Vec<_> = PARAMS
        .iter()
        .filter(|p| p.endpoint.ends_with("chat_completions"))
        .collect();
    assert!(!models.is_empty(), "no chat parameter set");
    for f in models {
        let cases = [
            ("/model", "", "model"),
            ("/messages", "", "messages"),
            ("/messages/0/role", "/messages/0", "role"),
            ("/messages/0/content", "/messages/0", "content"),
        ];
        for (pointer, parent, key) in cases {
            let mut payload = base(f.model, f.endpoint);
            let holder = if parent.is_empty() {
                &mut payload
            } else {
                payload.pointer_mut(parent).unwrap()
            };
            holder.as_object_mut().unwrap().remove(key);
            let report = check(f.model, f.endpoint, &payload);
            failures.extend(expect(
                &report,
                Some((Code::MissingRequired, pointer)),
                &format!("{} without {key}", f.model),
            ));
        }
    }
    for (model, endpoint, missing) in [
        (
            "vtrix-deepseek-v3.2",
            "vtrix.chat_completions",
            "/response_format/type",
        ),
        (
            "vtrix-gpt-5.3-codex",
            "vtrix.chat_completions",
            "/response_format/type",
        ),
        (
            "enterprise/image-2",
            "vertexkey.images_generations",
            "/prompt",
        ),
        ("enterprise/image-2", "vertexkey.images_edits", "/image"),
        ("enterprise/seedance-1-5-pro", "vertexkey.videos", "/prompt"),
        ("aws/claude-opus-4-7", "vertexkey.messages", "/max_tokens"),
    ] {
        let mut payload = base(model, endpoint);
        if missing == "/response_format/type" {
            payload["response_format"] = json!({});
        } else {
            payload.as_object_mut().unwrap().remove(&missing[1..]);
        }
        let report = check(model, endpoint, &payload);
        failures.extend(expect(
            &report,
            Some((Code::MissingRequired, missing)),
            &format!("{model} without {missing}"),
        ));
    }
    assert_no_failures(failures);
}

#[test]
fn prices_match_the_seed() {
    let mut failures = Vec::new();
    for f in PRICES {
        let info = ModelId::from_id(f.model).unwrap().info();
        let actual = match info.pricing {
            Some(Pricing::PerToken {
                currency,
                input_per_million,
                output_per_million,
            }) => (
                currency,
                Some(input_per_million),
                Some(output_per_million),
                None,
            ),
            Some(Pricing::PerRequest { currency, price }) => (currency, None, None, Some(price)),
            None => ("", None, None, None),
        };
        let expected = (
            f.currency,
            f.input_per_million,
            f.output_per_million,
            f.per_request,
        );
        if actual != expected {
            failures.push(format!(
                "{}: catalog {actual:?}, seed {expected:?} ({})",
                f.model, f.source
            ));
        }
    }
    assert_eq!(PRICES.len(), 19);
    assert_no_failures(failures);
    // Cache prices derive from the input price: read 0.53x, write 1.25x (seed 004).
    let opus = ModelId::from_id("aws/claude-opus-4-7").unwrap().info();
    let (read, write) = opus.cache_prices_per_million().unwrap();
    assert!(
        (read - 2.65).abs() < 1e-9 && (write - 6.25).abs() < 1e-9,
        "{read} {write}"
    );
}

#[test]
fn context_windows_match_the_seed() {
    assert_eq!(
        CONTEXT_WINDOWS.len(),
        17,
        "the seed table's context windows"
    );
    let mut failures = Vec::new();
    for f in CONTEXT_WINDOWS {
        let info = ModelId::from_id(f.model).unwrap().info();
        if info.context_window != Some(f.tokens) {
            failures.push(format!(
                "{}: catalog {:?}, seed {} ({})",
                f.model, info.context_window, f.tokens, f.source
            ));
        }
    }
    assert_no_failures(failures);
}

#[test]
fn the_documented_ids_are_exactly_the_seeds_37() {
    let mut catalog: Vec<&str> = MODELS
        .iter()
        .filter(|m| m.status == ModelStatus::Documented)
        .filter_map(|m| m.id)
        .collect();
    let mut seeds = DOCUMENTED_IDS.to_vec();
    catalog.sort();
    seeds.sort();
    assert_eq!(catalog, seeds);
    assert_eq!(seeds.len(), 37);
}

#[test]
fn max_output_tokens_is_the_max_tokens_range() {
    for f in RANGES.iter().filter(|f| f.pointer == "/max_tokens") {
        let info = ModelId::from_id(f.model).unwrap().info();
        assert_eq!(info.max_output_tokens, Some(f.max as u64), "{}", f.model);
    }
}
