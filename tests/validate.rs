//! How the validator behaves on payloads: every finding reported with pointer, code, level
//! and a message naming the model and what is allowed; a documented limit broken is an
//! error, a format parameter the gateway does not document a warning, an unknown one an
//! error with a did-you-mean; nulls mean "not set"; key order and escapes do not matter;
//! bad JSON never panics; policies change levels; and the exported JSON Schema gives the
//! same verdict as the validator.

#[cfg(feature = "client")]
use modelgate::generated::vtrix::types as vtrix;
use modelgate::{Code, Endpoint, Finding, Level, Policy, Validator};
use serde_json::json;

/// Every finding as (pointer, code, level): errors first, then warnings.
fn findings(payload: &str) -> Vec<(String, Code, Level)> {
    findings_with(&Validator::new(), payload)
}

fn findings_with(validator: &Validator, payload: &str) -> Vec<(String, Code, Level)> {
    validator
        .validate_json(payload.as_bytes())
        .findings()
        .map(|f| (f.pointer.clone(), f.code, f.level))
        .collect()
}

fn errors(payload: &str) -> Vec<(String, Code)> {
    Validator::new()
        .validate_json(payload.as_bytes())
        .errors
        .into_iter()
        .map(|v| (v.pointer, v.code))
        .collect()
}

fn messages(payload: &str) -> Vec<String> {
    Validator::new()
        .validate_json(payload.as_bytes())
        .findings()
        .map(|v| v.message.clone())
        .collect()
}

fn e(pointer: &str, code: Code) -> (String, Code, Level) {
    (pointer.into(), code, Level::Deny)
}

fn w(pointer: &str, code: Code) -> (String, Code, Level) {
    (pointer.into(), code, Level::Warn)
}

#[test]
fn errors_come_first_then_warnings_each_in_payload_order() {
    let payload = r#"{"model": "vtrix-claude-sonnet-4.5", "temperature": 2.5, "seed": 7, "top_p": "high",
        "messages": [{"role": "robot", "content": 5}, {"content": "x"}], "stop": "END", "max_tokens": 0}"#;
    assert_eq!(
        findings(payload),
        [
            e("/temperature", Code::OutOfRange),
            e("/top_p", Code::WrongType),
            e("/messages/0/role", Code::NotInEnum),
            e("/messages/1/role", Code::MissingRequired),
            e("/max_tokens", Code::OutOfRange),
            w("/seed", Code::UndocumentedParameter),
            w("/stop", Code::UndocumentedParameter),
        ]
    );
}

#[test]
fn messages_name_the_model_and_what_is_allowed() {
    let m = messages(
        r#"{"model": "vtrix-claude-3-haiku", "messages": [{"role": "user", "content": "x"}], "max_tokens": 4097, "temperature": -1}"#,
    );
    assert_eq!(
        m,
        [
            "`max_tokens` is 4097, above the maximum 4096 for vtrix-claude-3-haiku (allowed: 1 to 4096)",
            "`temperature` is -1, below the minimum 0 for vtrix-claude-3-haiku (allowed: 0 to 2)",
        ]
    );
    let m = messages(
        r#"{"model": "vtrix-deepseek-v3.2", "messages": [{"role": "user", "content": "x"}], "response_format": {"type": "json_schema", "json_schema": {"name": "n"}}}"#,
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
    let m = messages(
        r#"{"model": "vtrix-claude-3-haiku", "seed": 1, "messages": [{"role": "user", "content": "x"}]}"#,
    );
    assert_eq!(
        m,
        [
            "`seed` is not documented for vtrix-claude-3-haiku; the gateway may ignore or refuse it (the format has it: format-reference, A)"
        ]
    );
}

#[test]
fn did_you_mean_for_models_parameters_and_values() {
    let m = messages(r#"{"model": "vtrix-claude-3-haiku2", "messages": []}"#);
    assert_eq!(
        m,
        [
            "`messages` has 0 items, fewer than the minimum of 1 on endpoint vtrix.chat_completions (allowed: at least 1 items)",
            "model \"vtrix-claude-3-haiku2\" is not in the catalog (did you mean \"vtrix-claude-3-haiku\"?); the body was checked against the format of vtrix.chat_completions (told by its `messages`: a chat, in the OpenAI format both gateways share), not against any model's limits"
        ]
    );
    let m = messages(r#"{"model": "gpt-4o", "messages": []}"#);
    assert_eq!(
        m[1],
        "model \"gpt-4o\" is not in the catalog (`modelgate models` lists it); the body was checked against the format of vtrix.chat_completions (told by its `messages`: a chat, in the OpenAI format both gateways share), not against any model's limits"
    );
    let m = messages(
        r#"{"model": "vtrix-grok-4", "messages": [{"role": "user", "content": "x"}], "max_token": 5}"#,
    );
    assert_eq!(m.len(), 1);
    assert!(
        m[0] == "`max_token` is not a parameter for vtrix-grok-4: neither the gateway's docs nor the endpoint's format has it; did you mean `max_tokens`? (`modelgate schema vtrix-grok-4` lists the 37 known here)",
        "{}",
        m[0]
    );
    let m = messages(
        r#"{"model": "vtrix-gpt-5.3-codex", "messages": [{"role": "user", "content": "x"}], "reasoning_effort": "hihg"}"#,
    );
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
    let mut first = errors(model_first);
    let mut last = errors(model_last);
    first.sort();
    last.sort();
    assert_eq!(first, expected);
    assert_eq!(last, expected);
}

#[test]
fn content_parts_are_checked_by_their_type_and_role() {
    let payload = r#"{"model": "vtrix-claude-3-haiku", "messages": [{"role": "user", "content": [
        {"text": 1, "type": "text"}, {"type": "image_url"}, {"image_url": {"url": "u"}}, {"type": 7}, "text",
        {"type": "image_url", "image_url": {"url": "u", "detail": "ultra"}}]},
        {"role": "system", "content": [{"type": "image_url", "image_url": {"url": "u"}}]},
        {"role": "user", "content": []}]}"#;
    assert_eq!(
        errors(payload),
        [
            ("/messages/0/content/0/text".into(), Code::WrongType),
            (
                "/messages/0/content/1/image_url".into(),
                Code::MissingRequired
            ),
            ("/messages/0/content/2/type".into(), Code::MissingRequired),
            ("/messages/0/content/3/type".into(), Code::WrongType),
            ("/messages/0/content/4".into(), Code::WrongType),
            (
                "/messages/0/content/5/image_url/detail".into(),
                Code::NotInEnum
            ),
            // A system message takes text parts only.
            ("/messages/1/content/0/type".into(), Code::NotInEnum),
            ("/messages/2/content".into(), Code::ArrayLength),
        ]
    );
}

#[test]
fn escaped_keys_and_pointer_escaping() {
    // "max\u005ftokens" is "max_tokens".
    assert_eq!(
        errors(
            r#"{"model": "vtrix-claude-3-haiku", "messages": [{"role": "user", "content": "x"}], "max\u005ftokens": 5000}"#
        ),
        [("/max_tokens".into(), Code::OutOfRange)]
    );
    assert_eq!(
        errors(
            r#"{"model": "vtrix-claude-3-haiku", "messages": [{"role": "user", "content": "x"}], "a/b~c": 1}"#
        ),
        [("/a~1b~0c".into(), Code::UnknownParameter)]
    );
}

#[test]
fn integers_follow_json_schema() {
    let body = |v: &str| {
        format!(
            r#"{{"model": "vtrix-claude-3-haiku", "messages": [{{"role": "user", "content": "x"}}], "max_tokens": {v}}}"#
        )
    };
    assert_eq!(errors(&body("4096.0")), []);
    assert_eq!(
        errors(&body("100.5")),
        [("/max_tokens".into(), Code::WrongType)]
    );
    assert_eq!(
        errors(&body("18446744073709551615")),
        [("/max_tokens".into(), Code::OutOfRange)]
    );
    assert_eq!(
        errors(&body("-9223372036854775808")),
        [("/max_tokens".into(), Code::OutOfRange)]
    );
}

#[test]
fn malformed_json_is_one_invalid_json_error_with_a_position() {
    let text =
        "{\n  \"model\": \"vtrix-grok-4\",\n  \"max_tokens\": 5000000\n  \"messages\": []\n}";
    let report = Validator::new().validate_json(text.as_bytes());
    assert_eq!(report.errors.len(), 1);
    let v = &report.errors[0];
    assert_eq!(v.code, Code::InvalidJson);
    // The `"` of "messages", where a `,` was expected (line 4, column 3).
    let at = text.find("\"messages\"").unwrap();
    assert_eq!(v.span, Some(at..at + 1));
    assert_eq!(v.message, "invalid JSON: expected `,` or `}`");
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
        assert_eq!(r.errors.len(), 1, "{bad:?}");
        assert_eq!(r.errors[0].code, Code::InvalidJson, "{bad:?}");
    }
    // No policy makes a payload that is not JSON valid.
    let mut lenient = Policy::default();
    assert!(lenient.apply("invalid_json", Level::Allow).is_err());
    lenient.set(Code::InvalidJson, Level::Allow);
    assert!(!Validator::new().policy(lenient).is_valid_json(b"{"));
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
    // Deep nesting where anything is allowed (a tool's parameters) hits the parser's limit.
    let deep_open = format!(
        "{{\"model\": \"vtrix-deepseek-v3.2\", \"messages\": [{{\"role\": \"user\", \"content\": \"x\"}}], \"tools\": [{{\"type\": \"function\", \"function\": {{\"name\": \"f\", \"parameters\": {{\"x\": {}{}}}}}}}]}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let r = Validator::new().validate_json(deep_open.as_bytes());
    assert_eq!(r.errors[0].code, Code::InvalidJson);
}

#[test]
fn the_body_must_be_an_object_with_a_string_model() {
    assert_eq!(errors("[1, 2]"), [("".into(), Code::WrongType)]);
    assert_eq!(
        messages("42"),
        ["the request body must be an object, found a number"]
    );
    assert_eq!(
        errors(r#"{"messages": []}"#),
        [("/model".into(), Code::MissingRequired)]
    );
    assert_eq!(
        errors(r#"{"model": 5, "messages": []}"#),
        [("/model".into(), Code::WrongType)]
    );
    assert_eq!(
        errors(r#"{"model": null, "messages": []}"#),
        [("/model".into(), Code::WrongType)]
    );
}

#[test]
fn unknown_models_warn_and_get_the_endpoints_format_checks_when_one_is_given() {
    // The catalog is incomplete: a model it does not know is a warning, not a refusal.
    assert_eq!(
        findings(r#"{"model": "vtrix-gpt-4o", "messages": [{"role": "user", "content": "x"}]}"#),
        [w("/model", Code::UnknownModel)]
    );
    // Its body is still checked against the format its `messages` tell.
    assert_eq!(
        findings(r#"{"model": "vtrix-gpt-4o", "messages": []}"#),
        [
            ("/messages".into(), Code::ArrayLength, Level::Deny),
            w("/model", Code::UnknownModel)
        ]
    );
    let payload = br#"{"model": "someone/claude-opus-9", "messages": [{"role": "user", "content": "x"}], "max_tokens": "many", "seed": 1, "sead": 2}"#;
    let report = Validator::new()
        .endpoint(Endpoint::VertexKeyChatCompletions)
        .validate_json(payload);
    let found: Vec<_> = report
        .findings()
        .map(|v| (v.pointer.as_str(), v.code, v.level))
        .collect();
    // The format's types and names still apply; no parameter is singled out as
    // undocumented for a model nothing is documented for.
    assert_eq!(
        found,
        [
            ("/max_tokens", Code::WrongType, Level::Deny),
            ("/sead", Code::UnknownParameter, Level::Deny),
            ("/model", Code::UnknownModel, Level::Warn),
        ]
    );
    assert_eq!(report.endpoint, Some(Endpoint::VertexKeyChatCompletions));
    assert_eq!(
        report.errors[0].message,
        "`max_tokens` must be null or an integer on endpoint vertexkey.chat_completions, found a string"
    );
}

#[test]
fn listed_models_check_the_envelope_and_say_so() {
    let report = Validator::new()
        .validate_json(br#"{"model": "vidu_q2", "input": [{"params": {"anything": 1}}]}"#);
    assert!(report.is_valid(), "{:?}", report.errors);
    assert_eq!(report.warnings.len(), 1);
    assert_eq!(report.warnings[0].code, Code::ListedModel);
    assert_eq!(
        report.warnings[0].message,
        "vidu_q2 is listed in the catalog without documented parameters; only the vtrix.media_generation envelope was checked"
    );
    let report = Validator::new().validate_json(br#"{"model": "vidu_q2"}"#);
    assert_eq!(report.errors[0].pointer, "/input");
    assert_eq!(report.errors[0].code, Code::MissingRequired);
}

#[test]
fn a_model_on_an_endpoint_that_does_not_serve_it() {
    let report = Validator::new()
        .endpoint(Endpoint::VertexKeyMessages)
        .validate_json(br#"{"model": "vtrix-claude-3-haiku", "messages": [], "max_tokens": 5}"#);
    assert_eq!(report.errors[0].code, Code::NotInEnum);
    assert_eq!(
        report.errors[0].message,
        "model \"vtrix-claude-3-haiku\" is not served on vertexkey.messages (it is served on: vtrix.chat_completions)"
    );
}

#[test]
fn the_messages_endpoint_takes_the_anthropic_format() {
    let payload = br#"{"model": "aws/claude-sonnet-4-6", "system": "Be brief", "max_tokens": 2048, "stop_sequences": ["END"],
        "messages": [{"role": "user", "content": [{"type": "text", "text": "hi", "cache_control": {"type": "ephemeral"}}]}],
        "thinking": {"type": "enabled", "budget_tokens": 1024}}"#;
    let report = Validator::new()
        .endpoint(Endpoint::VertexKeyMessages)
        .validate_json(payload);
    assert!(report.is_valid(), "{:?}", report.errors);
    let warned: Vec<&str> = report.warnings.iter().map(|w| w.pointer.as_str()).collect();
    assert_eq!(warned, ["/system", "/stop_sequences", "/thinking"]);
    // The format's own limits apply to what VertexKey does not document.
    let low = br#"{"model": "aws/claude-sonnet-4-6", "max_tokens": 2048, "temperature": 1.5, "messages": [{"role": "user", "content": "x"}],
        "thinking": {"type": "enabled", "budget_tokens": 64}}"#;
    let report = Validator::new()
        .endpoint(Endpoint::VertexKeyMessages)
        .validate_json(low);
    let found: Vec<_> = report
        .errors
        .iter()
        .map(|v| (v.pointer.as_str(), v.code))
        .collect();
    assert_eq!(
        found,
        [
            ("/temperature", Code::OutOfRange),
            ("/thinking/budget_tokens", Code::OutOfRange)
        ]
    );
    // The same Anthropic payload on chat completions: `system` belongs to /messages.
    let report = Validator::new().validate_json(payload);
    let system = report
        .errors
        .iter()
        .find(|v| v.pointer == "/system")
        .unwrap();
    assert_eq!(system.code, Code::UnknownParameter);
    assert!(
        system
            .message
            .contains("; it is a parameter of vertexkey.messages: send it there (validate with --endpoint vertexkey.messages)"),
        "{}",
        system.message
    );
    // A system role in messages: SDK 0.121.0 has it, older sources do not (a warning).
    let role = br#"{"model": "aws/claude-sonnet-4-6", "max_tokens": 5, "messages": [{"role": "system", "content": "x"}, {"role": "robot", "content": "y"}]}"#;
    let report = Validator::new()
        .endpoint(Endpoint::VertexKeyMessages)
        .validate_json(role);
    assert_eq!(report.warnings[0].pointer, "/messages/0/role");
    assert_eq!(report.warnings[0].code, Code::UndocumentedValue);
    assert_eq!(report.errors[0].pointer, "/messages/1/role");
    assert_eq!(report.errors[0].code, Code::NotInEnum);
}

#[test]
fn a_tool_loop_passes_where_tools_are_documented_and_warns_where_they_are_not() {
    let tool_loop = |model: &str| {
        json!({
            "model": model,
            "messages": [
                {"role": "user", "content": "What is the weather in Paris?"},
                {"role": "assistant", "content": null, "tool_calls": [
                    {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
                {"role": "tool", "tool_call_id": "call_1", "content": "18 C, cloudy"}
            ],
            "tools": [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}],
            "tool_choice": "auto"
        })
    };
    let at = |model: &str| {
        let r = Validator::new().validate_value(&tool_loop(model));
        r.findings()
            .map(|f| (f.pointer.clone(), f.code, f.level))
            .collect::<Vec<_>>()
    };
    // VertexKey documents tool calling; DeepSeek V3.2 documents tools and the tool role.
    assert_eq!(at("aws/claude-sonnet-4-6"), []);
    assert_eq!(at("vtrix-deepseek-v3.2"), []);
    // Vtrix's Claude documents neither: warnings, never a refusal.
    assert_eq!(
        at("vtrix-claude-sonnet-4.5"),
        [
            w("/messages/2/role", Code::UndocumentedValue),
            w("/tool_choice", Code::UndocumentedParameter),
            w("/tools", Code::UndocumentedParameter),
        ]
    );
    // A tool message needs its tool_call_id (the format requires it).
    let mut broken = tool_loop("aws/claude-sonnet-4-6");
    broken["messages"][2]
        .as_object_mut()
        .unwrap()
        .remove("tool_call_id");
    let r = Validator::new().validate_value(&broken);
    assert_eq!(r.errors[0].pointer, "/messages/2/tool_call_id");
    assert_eq!(r.errors[0].code, Code::MissingRequired);
}

#[test]
fn null_means_not_set_where_the_format_declares_it_nullable() {
    let base = |extra: &str| {
        format!(
            r#"{{"model": "vtrix-claude-3-haiku", "messages": [{{"role": "user", "content": "x"}}]{extra}}}"#
        )
    };
    // Nullable in the format: valid, no documented range applies, no presence warning.
    assert_eq!(
        findings(&base(
            r#", "max_tokens": null, "temperature": null, "seed": null, "stop": null"#
        )),
        []
    );
    // Optional but not nullable: a warning at most (tool_choice: null).
    assert_eq!(
        findings(&base(
            r#", "tool_choice": null, "parallel_tool_calls": null"#
        )),
        [
            w("/tool_choice", Code::UnexpectedNull),
            w("/parallel_tool_calls", Code::UnexpectedNull)
        ]
    );
    // Required: an error.
    assert_eq!(
        findings(
            r#"{"model": "vtrix-claude-3-haiku", "messages": [{"role": "user", "content": null}]}"#
        ),
        [e("/messages/0/content", Code::WrongType)]
    );
    assert_eq!(
        findings(r#"{"model": "vtrix-claude-3-haiku", "messages": null}"#),
        [e("/messages", Code::WrongType)]
    );
    // An assistant turn's content may be null or absent.
    assert_eq!(
        findings(
            r#"{"model": "aws/glm-5", "messages": [{"role": "assistant", "content": null}, {"role": "assistant"}, {"role": "user", "content": "x"}]}"#
        ),
        []
    );
}

#[test]
fn a_documented_limit_wins_over_the_formats_and_the_format_applies_where_the_docs_are_silent() {
    let effort = |model: &str, value: &str| {
        findings(&format!(
            r#"{{"model": "{model}", "messages": [{{"role": "user", "content": "x"}}], "reasoning_effort": "{value}"}}"#
        ))
    };
    // GPT-5.3-Codex documents low, medium, high, xhigh.
    assert_eq!(effort("vtrix-gpt-5.3-codex", "xhigh"), []);
    assert_eq!(
        effort("vtrix-gpt-5.3-codex", "minimal"),
        [e("/reasoning_effort", Code::NotInEnum)]
    );
    // VertexKey documents none: the format's enum applies, and the parameter warns.
    assert_eq!(
        effort("aws/claude-opus-4-7", "minimal"),
        [w("/reasoning_effort", Code::UndocumentedParameter)]
    );
    assert_eq!(
        effort("aws/claude-opus-4-7", "extreme"),
        [
            e("/reasoning_effort", Code::NotInEnum),
            w("/reasoning_effort", Code::UndocumentedParameter)
        ]
    );
}

#[test]
fn format_parameters_keep_the_formats_types_ranges_and_shapes() {
    let vk = |extra: &str| {
        errors(&format!(
            r#"{{"model": "aws/glm-5", "messages": [{{"role": "user", "content": "x"}}], {extra}}}"#
        ))
    };
    assert_eq!(vk(r#""n": "2""#), [("/n".into(), Code::WrongType)]);
    assert_eq!(vk(r#""n": 0"#), [("/n".into(), Code::OutOfRange)]);
    assert_eq!(vk(r#""n": 1"#), []);
    assert_eq!(
        vk(r#""stream_options": {"include_usage": "yes"}"#),
        [("/stream_options/include_usage".into(), Code::WrongType)]
    );
    assert_eq!(
        vk(r#""stream_options": {"include_usage": true, "usage": true}"#),
        [("/stream_options/usage".into(), Code::UnknownParameter)]
    );
    assert_eq!(
        vk(r#""stop": ["a", "b", "c", "d", "e"]"#),
        [("/stop".into(), Code::ArrayLength)]
    );
    assert_eq!(
        vk(r#""logit_bias": {"50256": -100, "11": "x"}"#),
        [("/logit_bias/11".into(), Code::WrongType)]
    );
    assert_eq!(
        vk(r#""response_format": {"type": "json_schema"}"#),
        [("/response_format/json_schema".into(), Code::MissingRequired)]
    );
    let images =
        errors(r#"{"model": "enterprise/image-2", "prompt": "p", "n": 11, "quality": "ultra"}"#);
    assert_eq!(
        images,
        [
            ("/n".into(), Code::OutOfRange),
            ("/quality".into(), Code::NotInEnum)
        ]
    );
    assert_eq!(
        findings(r#"{"model": "enterprise/image-2", "prompt": "p", "n": 1, "quality": "high"}"#),
        [
            w("/n", Code::UndocumentedParameter),
            w("/quality", Code::UndocumentedParameter)
        ]
    );
}

#[test]
fn media_parameters_written_flat_get_one_error_with_the_corrected_body() {
    let report = Validator::new().validate_json(
        br#"{"model": "minimax_hailuo_23_i2v", "first_frame_image": "https://example.com/frame.jpg", "prompt": "[Zoom in] waves at dusk", "duration": 6}"#,
    );
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    let f = &report.errors[0];
    assert_eq!((f.pointer.as_str(), f.code), ("", Code::MisplacedParameter));
    assert_eq!(
        f.message,
        "`first_frame_image`, `prompt`, `duration` are the model's own parameters and go in `input[0].params` for minimax_hailuo_23_i2v, not at the top of the body; send {\"model\": \"minimax_hailuo_23_i2v\", \"input\": [{\"params\": {\"first_frame_image\": \"https://example.com/frame.jpg\", \"prompt\": \"[Zoom in] waves at dusk\", \"duration\": 6}}]}"
    );
    // The corrected body is valid.
    let fixed = json!({"model": "minimax_hailuo_23_i2v", "input": [{"params": {
        "first_frame_image": "https://example.com/frame.jpg", "prompt": "[Zoom in] waves at dusk", "duration": 6}}]});
    assert_eq!(
        Validator::new().validate_value(&fixed).findings().count(),
        0
    );
    // A key that is not one of the model's parameters stays an unknown parameter.
    let report = Validator::new().validate_json(
        br#"{"model": "minimax_hailuo_23_i2v", "input": [{"params": {"prompt": "p"}}], "negative_prompt": "x"}"#,
    );
    assert_eq!(report.errors[0].code, Code::UnknownParameter);
}

#[test]
fn policies_set_levels_by_code_model_and_parameter() {
    let payload = r#"{"model": "vtrix-claude-sonnet-4.5", "messages": [{"role": "user", "content": "x"}],
        "tools": [{"type": "function", "function": {"name": "f"}}], "seed": 3, "max_tokens": 100}"#;
    let strict = Validator::new().policy(Policy::strict());
    assert_eq!(
        findings_with(&strict, payload),
        [
            e("/tools", Code::UndocumentedParameter),
            e("/seed", Code::UndocumentedParameter)
        ]
    );
    assert!(!strict.is_valid_json(payload.as_bytes()));
    // "We checked that vtrix-claude-sonnet-4.5 accepts tools."
    let mut checked = Policy::strict();
    checked
        .apply("undocumented_parameter:vtrix-claude-*:tools", Level::Allow)
        .unwrap();
    let checked = Validator::new().policy(checked);
    assert_eq!(
        findings_with(&checked, payload),
        [e("/seed", Code::UndocumentedParameter)]
    );
    assert!(!checked.is_valid_json(payload.as_bytes()));
    let mut quiet = Policy::default();
    quiet.set(Code::UndocumentedParameter, Level::Allow);
    quiet.set(Code::DeprecatedParameter, Level::Warn);
    let quiet = Validator::new().policy(quiet);
    // max_tokens and seed are deprecated in the format (off by default); Vtrix documents
    // max_tokens, so only seed is remarked on.
    assert_eq!(
        findings_with(&quiet, payload),
        [w("/seed", Code::DeprecatedParameter)]
    );
    assert!(quiet.is_valid_json(payload.as_bytes()));
    let mut no_range = Policy::default();
    no_range
        .apply("out_of_range::max_tokens", Level::Allow)
        .unwrap();
    let no_range = Validator::new().policy(no_range);
    let over = br#"{"model": "vtrix-claude-3-haiku", "messages": [{"role": "user", "content": "x"}], "max_tokens": 9999, "temperature": 9}"#;
    assert!(!no_range.is_valid_json(over));
    assert_eq!(no_range.validate_json(over).errors.len(), 1);
}

#[test]
#[cfg(feature = "client")]
fn typed_requests_from_the_generated_client_are_validated() {
    let request = vtrix::ChatCompletionRequest {
        max_tokens: Some(5000),
        stop: Some(vtrix::ChatCompletionRequestStop::String("END".into())),
        temperature: Some(0.5),
        ..modelgate::chat::request("vtrix-claude-3-haiku", vec![modelgate::chat::user("Hello")])
    };
    let report = Validator::new().validate_request(&request);
    let found: Vec<_> = report
        .findings()
        .map(|v| (v.pointer.as_str(), v.code, v.level))
        .collect();
    assert_eq!(
        found,
        [
            ("/max_tokens", Code::OutOfRange, Level::Deny),
            ("/stop", Code::UndocumentedParameter, Level::Warn)
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
fn findings_serialize_as_pointer_code_severity_message() {
    let v = Finding {
        pointer: "/x".into(),
        code: Code::TooLong,
        level: Level::Deny,
        message: "m".into(),
        span: Some(1..2),
    };
    assert_eq!(
        serde_json::to_value(&v).unwrap(),
        json!({"pointer": "/x", "code": "too_long", "severity": "error", "message": "m"})
    );
    let w = Finding {
        level: Level::Warn,
        ..v
    };
    assert_eq!(serde_json::to_value(&w).unwrap()["severity"], "warning");
}

/// The exported JSON Schemas and the validator (at the default policy) agree on every
/// example payload and on a set of edge cases (the property-based differential test is
/// tests/differential.rs).
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
                    modelgate_io::yaml::parse_documents(&text)
                        .unwrap()
                        .into_iter()
                        .map(|d| d.value),
                ),
                _ => {}
            }
        }
    }
    let user = json!([{"role": "user", "content": "x"}]);
    cases.extend([
        json!({"model": "vtrix-claude-3-haiku", "messages": user, "max_tokens": 4096.0}),
        json!({"model": "vtrix-claude-3-haiku", "messages": [{"role": "user", "content": [{"type": "text"}]}]}),
        json!({"model": "vtrix-claude-3-haiku", "messages": [{"role": "user", "content": [{"type": "video", "url": "x"}]}]}),
        json!({"model": "vtrix-claude-3-haiku", "messages": [{"role": "user", "content": null}]}),
        json!({"model": "vtrix-claude-3-haiku", "messages": []}),
        json!({"model": "vtrix-claude-3-haiku", "messages": user, "seed": 4, "n": 0}),
        json!({"model": "vtrix-claude-3-haiku", "messages": user, "max_tokens": null, "tool_choice": null}),
        json!({"model": "vtrix-claude-3-haiku", "messages": [{"role": "tool", "tool_call_id": "1", "content": "r"}]}),
        json!({"model": "vtrix-deepseek-v3.2", "messages": user, "stop": ["a", 1]}),
        json!({"model": "vtrix-deepseek-v3.2", "messages": user, "tool_choice": "sometimes"}),
        json!({"model": "vtrix-deepseek-v3.2", "messages": user, "tool_choice": {"type": "function", "function": {}}}),
        json!({"model": "vtrix-deepseek-v3.2", "messages": user, "response_format": {"type": "json_schema", "json_schema": {"name": "x"}}}),
        json!({"model": "minimax_hailuo_23_i2v", "input": [{"params": {"prompt": "é".repeat(2000)}}]}),
        json!({"model": "minimax_hailuo_23_i2v", "input": [{"params": {"prompt": "é".repeat(2001)}}]}),
        json!({"model": "minimax_hailuo_23_i2v", "prompt": "p"}),
        json!({"model": "enterprise/image-2", "prompt": "p", "response_format": "png"}),
        json!({"model": "enterprise/image-2", "prompt": "p", "n": 1, "quality": "high", "style": null}),
        json!({"model": "aws/glm-5", "messages": [{"role": "tool", "content": "x", "tool_call_id": "1"}], "temperature": 99}),
        json!({"model": "aws/glm-5", "messages": [{"role": "assistant", "content": null, "tool_calls": [{"id": "1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]}]}),
        json!({"model": "aws/glm-5", "messages": user, "stream": true, "stream_options": {"include_usage": true}, "metadata": {"a": "b"}}),
        json!({"model": "aws/glm-5", "messages": user, "metadata": {"a": 1}}),
        // Listed models (the endpoint's generic schema), unknown or missing models.
        json!({"model": "vidu_q2", "input": [{"params": {"prompt": "p"}}]}),
        json!({"model": "vidu_q2", "input": "not an array"}),
        json!({"model": "gpt-4o", "messages": []}),
        json!({"messages": []}),
        json!({"model": 5, "messages": []}),
        json!(["not an object"]),
    ]);
    let any_model: serde_json::Value = modelgate::catalog::any_model_json_schema();
    let any_model = jsonschema::validator_for(&any_model).unwrap();
    let mut disagreements = Vec::new();
    for case in &cases {
        let report = Validator::new().validate_value(case);
        // `modelgate schema --all`: one schema for every model, as `validate` checks.
        if any_model.is_valid(case) != report.is_valid() {
            disagreements.push(format!(
                "{case}\n  any-model schema: {}, modelgate: {:?}",
                any_model.is_valid(case),
                report.errors
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
        let schema: serde_json::Value = request.json_schema(info);
        let verdict = jsonschema::validator_for(&schema).unwrap().is_valid(case);
        if verdict != report.is_valid() {
            disagreements.push(format!(
                "{case}\n  jsonschema: {verdict}, modelgate: {:?}",
                report.errors
            ));
        }
    }
    assert!(cases.len() > 25);
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

/// The pointers of a report's `duplicate_key` warnings.
fn repeated_keys(report: &modelgate::Report) -> Vec<&str> {
    report
        .warnings
        .iter()
        .filter(|w| w.code == Code::DuplicateKey)
        .map(|w| w.pointer.as_str())
        .collect()
}

/// A key given twice: the last value wins, as serde_json (and jsonschema on its parse)
/// read it, with a `duplicate_key` warning at the second key; the model too is the last.
#[test]
fn repeated_keys_are_read_as_serde_json_reads_them() {
    let haiku = |tail: &str| {
        format!(
            r#"{{"model": "vtrix-claude-3-haiku", "messages": [{{"role": "user", "content": "Hi"}}], {tail}}}"#
        )
    };
    let validator = Validator::new();
    let last_fits = haiku(r#""max_tokens": 99999, "max_tokens": 1"#);
    let report = validator.validate_json(last_fits.as_bytes());
    assert!(report.is_valid(), "{:#?}", report.errors);
    assert!(validator.is_valid_json(last_fits.as_bytes()));
    let warning = report
        .warnings
        .iter()
        .find(|w| w.code == Code::DuplicateKey)
        .expect("a duplicate_key warning");
    assert_eq!(warning.pointer, "/max_tokens");
    let at = last_fits.rfind("\"max_tokens\"").unwrap();
    assert_eq!(warning.span, Some(at..at + "\"max_tokens\"".len()));
    assert!(
        warning
            .message
            .contains("`max_tokens` is given more than once")
    );

    let last_breaks = haiku(r#""max_tokens": 1, "max_tokens": 99999"#);
    let report = validator.validate_json(last_breaks.as_bytes());
    assert_eq!(report.errors.len(), 1, "{:#?}", report.errors);
    assert_eq!(report.errors[0].code, Code::OutOfRange);
    assert!(!validator.is_valid_json(last_breaks.as_bytes()));

    // The model is the last one given, whose limits then apply.
    let model_twice = r#"{"model": "no-such-model", "max_tokens": 5000,
        "messages": [{"role": "user", "content": "Hi"}], "model": "vtrix-claude-3-haiku"}"#;
    let report = validator.validate_json(model_twice.as_bytes());
    assert_eq!(report.model.as_deref(), Some("vtrix-claude-3-haiku"));
    assert_eq!(report.errors[0].pointer, "/max_tokens");
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.code == Code::DuplicateKey && w.pointer == "/model")
    );

    // Inside an object too, and for members the object does not list (a typo twice).
    let nested = haiku(r#""metadata": {"a": "1", "a": "2"}, "max_token": 1, "max_token": 2"#);
    let report = validator.validate_json(nested.as_bytes());
    let repeated = repeated_keys(&report);
    assert_eq!(repeated, ["/metadata/a", "/max_token"]);
    assert_eq!(
        report
            .errors
            .iter()
            .filter(|e| e.code == Code::UnknownParameter)
            .count(),
        1,
        "serde_json keeps one `max_token`: {:#?}",
        report.errors
    );

    // A repeat inside a value that a later copy replaces goes with that value.
    let replaced = haiku(r#""metadata": {"a": "1", "a": "2"}, "metadata": {"b": "3"}"#);
    let report = validator.validate_json(replaced.as_bytes());
    let repeated = repeated_keys(&report);
    assert_eq!(repeated, ["/metadata"]);

    // The verdict-only path stops at the first error, yet finds a later copy that
    // replaces the value that failed, however deep (here in a message, in an array).
    for replaced in [
        r#"{"model": "vtrix-claude-3-haiku", "messages": [{"role": "user", "content": 5, "content": "Hi"}]}"#,
        r#"{"max_tokens": 99999, "messages": [{"role": "user", "content": "Hi"}], "model": "vtrix-claude-3-haiku", "max_tokens": 1}"#,
        r#"{"model": "vtrix-claude-3-haiku", "max_tokens": 5000, "model": "vtrix-claude-sonnet-4.5", "messages": [{"role": "user", "content": "Hi"}]}"#,
    ] {
        assert!(
            validator.validate_json(replaced.as_bytes()).is_valid(),
            "{replaced}"
        );
        assert!(validator.is_valid_json(replaced.as_bytes()), "{replaced}");
    }

    // A policy may make it an error.
    let mut policy = Policy::default();
    policy.set(Code::DuplicateKey, Level::Deny);
    let strict = Validator::new().policy(policy);
    assert!(!strict.validate_json(last_fits.as_bytes()).is_valid());
    assert!(!strict.is_valid_json(last_fits.as_bytes()));
}

#[test]
fn a_byte_order_mark_is_named_in_the_error() {
    let report =
        Validator::new().validate_json("\u{feff}{\"model\": \"vtrix-claude-3-haiku\"}".as_bytes());
    assert_eq!(report.errors[0].code, Code::InvalidJson);
    assert!(
        report.errors[0]
            .message
            .contains("byte order mark (U+FEFF)"),
        "{}",
        report.errors[0].message
    );
}
