//! How the validator behaves on payloads: every violation reported with pointer, code and
//! a message naming the model and what is allowed; key order and escapes do not matter;
//! bad JSON never panics; unknown and listed models are handled as documented; and the
//! exported JSON Schema gives the same verdict as the validator.

use modelgate::generated::vtrix::types as vtrix;
use modelgate::{Code, Endpoint, Validator, Violation};
use serde_json::json;

fn codes(bytes: &str) -> Vec<(String, Code)> {
    Validator::new()
        .validate_json(bytes.as_bytes())
        .violations
        .into_iter()
        .map(|v| (v.pointer, v.code))
        .collect()
}

fn messages(bytes: &str) -> Vec<String> {
    Validator::new()
        .validate_json(bytes.as_bytes())
        .violations
        .into_iter()
        .map(|v| v.message)
        .collect()
}

#[test]
fn every_violation_is_reported_in_payload_order() {
    let payload = r#"{"model": "vtrix-claude-sonnet-4.5", "temperature": 2.5, "top_p": "high",
        "messages": [{"role": "robot", "content": 5}, {"content": "x"}], "stop": "END", "max_tokens": 0}"#;
    assert_eq!(
        codes(payload),
        [
            ("/temperature".into(), Code::OutOfRange),
            ("/top_p".into(), Code::WrongType),
            ("/messages/0/role".into(), Code::NotInEnum),
            ("/messages/0/content".into(), Code::WrongType),
            ("/messages/1/role".into(), Code::MissingRequired),
            ("/stop".into(), Code::UnsupportedParameter),
            ("/max_tokens".into(), Code::OutOfRange),
        ]
    );
}

#[test]
fn messages_name_the_model_and_what_is_allowed() {
    let m = messages(
        r#"{"model": "vtrix-claude-3-haiku", "messages": [], "max_tokens": 4097, "temperature": -1}"#,
    );
    assert_eq!(
        m,
        [
            "`max_tokens` is 4097, above the maximum 4096 for vtrix-claude-3-haiku (allowed: 1 to 4096)",
            "`temperature` is -1, below the minimum 0 for vtrix-claude-3-haiku (allowed: 0 to 2)",
        ]
    );
    let m = messages(
        r#"{"model": "vtrix-deepseek-v3.2", "messages": [], "response_format": {"type": "json_schema"}}"#,
    );
    assert_eq!(
        m,
        [
            "`response_format.type` is \"json_schema\", which is not accepted for vtrix-deepseek-v3.2 (allowed: \"text\", \"json_object\")"
        ]
    );
    let m = messages(
        r#"{"model": "enterprise/gemini-3-pro-image-preview-1k", "prompt": "p", "size": "512x512"}"#,
    );
    assert_eq!(
        m,
        [
            "`size` is \"512x512\", but it is fixed to \"1024x1024\" for enterprise/gemini-3-pro-image-preview-1k; send \"1024x1024\" or leave it out"
        ]
    );
}

#[test]
fn did_you_mean_for_models_parameters_and_values() {
    let m = messages(r#"{"model": "vtrix-claude-3-haiku2", "messages": []}"#);
    assert_eq!(
        m,
        [
            "model \"vtrix-claude-3-haiku2\" is not in the catalog; did you mean \"vtrix-claude-3-haiku\"?"
        ]
    );
    let m = messages(r#"{"model": "gpt-4o", "messages": []}"#);
    assert_eq!(
        m,
        ["model \"gpt-4o\" is not in the catalog (`modelgate models` lists them)"]
    );
    let m = messages(r#"{"model": "vtrix-grok-4", "messages": [], "max_token": 5}"#);
    assert_eq!(
        m,
        [
            "`max_token` is not accepted for vtrix-grok-4 (accepted: max_tokens, messages, model, stream, temperature, top_p); did you mean `max_tokens`?"
        ]
    );
    let m =
        messages(r#"{"model": "vtrix-gpt-5.3-codex", "messages": [], "reasoning_effort": "hihg"}"#);
    assert!(m[0].ends_with("did you mean \"high\"?"), "{}", m[0]);
}

#[test]
fn key_order_does_not_matter() {
    let model_first = r#"{"model": "vtrix-deepseek-r1", "max_tokens": 40000, "messages": [{"content": [{"text": "x", "type": "text"}, {"type": "audio"}], "role": "user"}]}"#;
    let model_last = r#"{"max_tokens": 40000, "messages": [{"role": "user", "content": [{"type": "text", "text": "x"}, {"type": "audio"}]}], "model": "vtrix-deepseek-r1"}"#;
    let expected = [
        ("/max_tokens".to_string(), Code::OutOfRange),
        ("/messages/0/content/1/type".to_string(), Code::NotInEnum),
    ];
    let mut first = codes(model_first);
    let mut last = codes(model_last);
    first.sort();
    last.sort();
    assert_eq!(first, expected);
    assert_eq!(last, expected);
}

#[test]
fn content_parts_are_checked_by_their_type() {
    let payload = r#"{"model": "vtrix-claude-3-haiku", "messages": [{"role": "user", "content": [
        {"text": 1, "type": "text"}, {"type": "image_url"}, {"image_url": {"url": "u"}}, {"type": 7}, "text"]}]}"#;
    assert_eq!(
        codes(payload),
        [
            ("/messages/0/content/0/text".into(), Code::WrongType),
            (
                "/messages/0/content/1/image_url".into(),
                Code::MissingRequired
            ),
            ("/messages/0/content/2/type".into(), Code::MissingRequired),
            ("/messages/0/content/3/type".into(), Code::WrongType),
            ("/messages/0/content/4".into(), Code::WrongType),
        ]
    );
}

#[test]
fn escaped_keys_and_pointer_escaping() {
    // "max\u005ftokens" is "max_tokens".
    assert_eq!(
        codes(r#"{"model": "vtrix-claude-3-haiku", "messages": [], "max\u005ftokens": 5000}"#),
        [("/max_tokens".into(), Code::OutOfRange)]
    );
    assert_eq!(
        codes(r#"{"model": "vtrix-claude-3-haiku", "messages": [], "a/b~c": 1}"#),
        [("/a~1b~0c".into(), Code::UnsupportedParameter)]
    );
}

#[test]
fn integers_follow_json_schema() {
    let ok = r#"{"model": "vtrix-claude-3-haiku", "messages": [], "max_tokens": 4096.0}"#;
    assert_eq!(codes(ok), []);
    let frac = r#"{"model": "vtrix-claude-3-haiku", "messages": [], "max_tokens": 100.5}"#;
    assert_eq!(codes(frac), [("/max_tokens".into(), Code::WrongType)]);
    let huge =
        r#"{"model": "vtrix-claude-3-haiku", "messages": [], "max_tokens": 18446744073709551615}"#;
    assert_eq!(codes(huge), [("/max_tokens".into(), Code::OutOfRange)]);
    let negative =
        r#"{"model": "vtrix-claude-3-haiku", "messages": [], "max_tokens": -9223372036854775808}"#;
    assert_eq!(codes(negative), [("/max_tokens".into(), Code::OutOfRange)]);
}

#[test]
fn malformed_json_is_one_invalid_json_violation_with_a_position() {
    let report = Validator::new().validate_json(
        b"{\n  \"model\": \"vtrix-grok-4\",\n  \"max_tokens\": 5000000\n  \"messages\": []\n}",
    );
    assert_eq!(report.violations.len(), 1);
    let v = &report.violations[0];
    assert_eq!(v.code, Code::InvalidJson);
    assert_eq!(v.position, Some((4, 3)));
    assert_eq!(
        v.message,
        "invalid JSON: expected `,` or `}` at line 4 column 3"
    );
    let open_number = br#"{"model": "vtrix-claude-3-haiku", "messages": [{"role": "user", "content": "x", "extra": 1e400}]}"#;
    let open_utf8 = b"{\"model\": \"vtrix-claude-3-haiku\", \"messages\": [{\"role\": \"user\", \"content\": \"x\", \"extra\": \"\xff\"}]}";
    for bad in [
        &b""[..],
        b"{",
        b"{\"model\": }",
        b"{} {}",
        b"nul",
        b"\xff\xfe",
        open_number,
        open_utf8,
    ] {
        let r = Validator::new().validate_json(bad);
        assert_eq!(r.violations.len(), 1, "{bad:?}");
        assert_eq!(r.violations[0].code, Code::InvalidJson, "{bad:?}");
    }
}

#[test]
fn deep_nesting_is_refused_without_a_panic() {
    let deep = format!(
        "{{\"model\": \"vtrix-grok-4\", \"messages\": {}{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let r = Validator::new().validate_json(deep.as_bytes());
    assert!(!r.is_valid());
    // Deep nesting where anything is allowed hits the parser's depth limit.
    let deep_open = format!(
        "{{\"model\": \"vtrix-deepseek-v3.2\", \"messages\": [{{\"role\": \"user\", \"content\": \"x\", \"extra\": {}{}}}]}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let r = Validator::new().validate_json(deep_open.as_bytes());
    assert_eq!(r.violations[0].code, Code::InvalidJson);
}

#[test]
fn the_body_must_be_an_object_with_a_string_model() {
    assert_eq!(codes("[1, 2]"), [("".into(), Code::WrongType)]);
    assert_eq!(
        messages("42"),
        ["the request body must be an object, found a number"]
    );
    assert_eq!(
        codes(r#"{"messages": []}"#),
        [("/model".into(), Code::MissingRequired)]
    );
    assert_eq!(
        codes(r#"{"model": 5, "messages": []}"#),
        [("/model".into(), Code::WrongType)]
    );
}

#[test]
fn unknown_models_get_the_endpoints_generic_checks_when_one_is_given() {
    let payload = br#"{"model": "aws/claude-opus-9", "messages": [{"role": "user", "content": "x"}], "max_tokens": "many", "seed": 1}"#;
    let report = Validator::new()
        .endpoint(Endpoint::VertexKeyChatCompletions)
        .validate_json(payload);
    let found: Vec<_> = report
        .violations
        .iter()
        .map(|v| (v.pointer.as_str(), v.code))
        .collect();
    // The generic schema is open (unknown parameters pass) but still typed.
    assert_eq!(
        found,
        [
            ("/model", Code::UnknownModel),
            ("/max_tokens", Code::WrongType)
        ]
    );
    assert_eq!(report.endpoint, Some(Endpoint::VertexKeyChatCompletions));
    assert_eq!(
        report.violations[1].message,
        "`max_tokens` must be an integer on endpoint vertexkey.chat_completions, found a string"
    );
}

#[test]
fn listed_models_check_the_envelope_and_say_so() {
    let report = Validator::new()
        .validate_json(br#"{"model": "vidu_q2", "input": [{"params": {"anything": 1}}]}"#);
    assert!(report.is_valid(), "{:?}", report.violations);
    assert_eq!(
        report.notes,
        [
            "vidu_q2 is listed in the catalog without documented parameters; only the vtrix.media_generation envelope was checked"
        ]
    );
    let report = Validator::new().validate_json(br#"{"model": "vidu_q2"}"#);
    assert_eq!(report.violations[0].pointer, "/input");
    assert_eq!(report.violations[0].code, Code::MissingRequired);
}

#[test]
fn a_model_on_an_endpoint_that_does_not_serve_it() {
    let report = Validator::new()
        .endpoint(Endpoint::VertexKeyMessages)
        .validate_json(br#"{"model": "vtrix-claude-3-haiku", "messages": [], "max_tokens": 5}"#);
    assert_eq!(report.violations[0].code, Code::NotInEnum);
    assert_eq!(
        report.violations[0].message,
        "model \"vtrix-claude-3-haiku\" is not served on vertexkey.messages (it is served on: vtrix.chat_completions)"
    );
}

#[test]
fn the_messages_endpoint_takes_anthropic_fields() {
    let payload = br#"{"model": "aws/claude-sonnet-4-6", "system": "Be brief", "max_tokens": 256, "stop_sequences": ["END"],
        "messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]}], "thinking": {"type": "enabled", "budget_tokens": 64}}"#;
    let report = Validator::new()
        .endpoint(Endpoint::VertexKeyMessages)
        .validate_json(payload);
    assert!(report.is_valid(), "{:?}", report.violations);
    // The same payload on chat completions is refused, with a hint.
    let report = Validator::new().validate_json(payload);
    let system = report
        .violations
        .iter()
        .find(|v| v.pointer == "/system")
        .unwrap();
    assert!(
        system
            .message
            .ends_with("; it is a parameter of vertexkey.messages: validate against that endpoint"),
        "{}",
        system.message
    );
    // Anthropic has no system role in messages.
    let bad = br#"{"model": "aws/claude-sonnet-4-6", "max_tokens": 5, "messages": [{"role": "system", "content": "x"}]}"#;
    let report = Validator::new()
        .endpoint(Endpoint::VertexKeyMessages)
        .validate_json(bad);
    assert_eq!(report.violations[0].pointer, "/messages/0/role");
}

#[test]
fn typed_requests_from_the_generated_client_are_validated() {
    let request = vtrix::ChatCompletionRequest {
        model: "vtrix-claude-3-haiku".into(),
        messages: vec![vtrix::ChatMessage {
            role: vtrix::ChatMessageRole::User,
            content: vtrix::ChatMessageContent::String("Hello".into()),
            name: None,
            tool_calls: vec![],
            tool_call_id: None,
            function_call: None,
        }],
        max_tokens: Some(5000),
        stop: Some(vtrix::ChatCompletionRequestStop::String("END".into())),
        frequency_penalty: None,
        function_call: None,
        functions: vec![],
        presence_penalty: None,
        reasoning_effort: None,
        response_format: None,
        stream: None,
        temperature: Some(0.5),
        tool_choice: None,
        tools: vec![],
        top_p: None,
    };
    let report = Validator::new().validate_request(&request);
    let found: Vec<_> = report
        .violations
        .iter()
        .map(|v| (v.pointer.as_str(), v.code))
        .collect();
    assert_eq!(
        found,
        [
            ("/max_tokens", Code::OutOfRange),
            ("/stop", Code::UnsupportedParameter)
        ]
    );
}

#[test]
fn endpoint_keys() {
    assert_eq!(
        Endpoint::from_key("vertexkey.messages"),
        Some(Endpoint::VertexKeyMessages)
    );
    assert_eq!(
        Endpoint::from_key("messages"),
        Some(Endpoint::VertexKeyMessages)
    );
    // chat_completions is on both gateways: the short name is ambiguous.
    assert_eq!(Endpoint::from_key("chat_completions"), None);
    assert_eq!(
        Endpoint::VtrixMediaGeneration.key(),
        "vtrix.media_generation"
    );
}

#[test]
fn violations_serialize_as_pointer_code_message() {
    let v = Violation {
        pointer: "/x".into(),
        code: Code::TooLong,
        message: "m".into(),
        position: Some((1, 2)),
    };
    assert_eq!(
        serde_json::to_value(&v).unwrap(),
        json!({"pointer": "/x", "code": "too_long", "message": "m"})
    );
}

/// The exported JSON Schema and the validator agree on every example payload and on a
/// set of edge cases (the full differential test is property-based, in a later issue).
#[test]
fn the_exported_json_schema_agrees_with_the_validator() {
    let mut cases: Vec<serde_json::Value> = Vec::new();
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/payloads");
    for dir in ["valid", "invalid"] {
        for entry in std::fs::read_dir(examples.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            match path.extension().and_then(|e| e.to_str()) {
                Some("json") => cases.push(serde_json::from_str(&text).unwrap()),
                Some("jsonl") => {
                    cases.extend(text.lines().filter_map(|l| serde_json::from_str(l).ok()))
                }
                Some("yaml") => cases.extend(
                    modelgate_codegen::yaml::parse_documents(&text)
                        .unwrap()
                        .into_iter()
                        .map(|d| d.value),
                ),
                _ => {}
            }
        }
    }
    cases.extend([
        json!({"model": "vtrix-claude-3-haiku", "messages": [], "max_tokens": 4096.0}),
        json!({"model": "vtrix-claude-3-haiku", "messages": [{"role": "user", "content": [{"type": "text"}]}]}),
        json!({"model": "vtrix-claude-3-haiku", "messages": [{"role": "user", "content": [{"type": "video", "url": "x"}]}]}),
        json!({"model": "vtrix-claude-3-haiku", "messages": [{"role": "user", "content": null}]}),
        json!({"model": "vtrix-deepseek-v3.2", "messages": [], "stop": ["a", 1]}),
        json!({"model": "vtrix-deepseek-v3.2", "messages": [], "tool_choice": "sometimes"}),
        json!({"model": "vtrix-deepseek-v3.2", "messages": [], "tool_choice": {"type": "function", "function": {}}}),
        json!({"model": "minimax_hailuo_23_i2v", "input": [{"params": {"prompt": "é".repeat(2000)}}]}),
        json!({"model": "minimax_hailuo_23_i2v", "input": [{"params": {"prompt": "é".repeat(2001)}}]}),
        json!({"model": "enterprise/image-2", "prompt": "p", "response_format": "png"}),
        json!({"model": "aws/glm-5", "messages": [{"role": "tool", "content": "x", "tool_call_id": "1"}], "temperature": 99}),
        // Listed models (the endpoint's generic schema), unknown or missing models.
        json!({"model": "vidu_q2", "input": [{"params": {"prompt": "p"}}]}),
        json!({"model": "vidu_q2", "input": "not an array"}),
        json!({"model": "gpt-4o", "messages": []}),
        json!({"messages": []}),
        json!({"model": 5, "messages": []}),
        json!(["not an object"]),
    ]);
    let any_model: serde_json::Value =
        serde_json::from_str(modelgate::catalog::ANY_MODEL_JSON_SCHEMA).unwrap();
    let any_model = jsonschema::validator_for(&any_model).unwrap();
    let mut disagreements = Vec::new();
    for case in &cases {
        let report = Validator::new().validate_value(case);
        // `modelgate schema --all`: one schema for every model, as `validate` checks.
        if any_model.is_valid(case) != report.is_valid() {
            disagreements.push(format!(
                "{case}\n  any-model schema: {}, modelgate: {:?}",
                any_model.is_valid(case),
                report.violations
            ));
        }
        let bytes = serde_json::to_vec(case).unwrap();
        assert_eq!(
            Validator::new().is_valid_json(&bytes),
            report.is_valid(),
            "verdict-only path on {case}"
        );
        let Some(info) = report.model_info else {
            continue;
        };
        let Some(request) = report.endpoint.and_then(|e| info.request(e)) else {
            continue;
        };
        let schema: serde_json::Value = serde_json::from_str(request.json_schema).unwrap();
        let verdict = jsonschema::validator_for(&schema).unwrap().is_valid(case);
        if verdict != report.is_valid() {
            disagreements.push(format!(
                "{case}\n  jsonschema: {verdict}, modelgate: {:?}",
                report.violations
            ));
        }
    }
    assert!(cases.len() > 25);
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
